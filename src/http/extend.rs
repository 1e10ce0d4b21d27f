//! `POST …/extend`: renew the current lease of a fetched message.

use super::call::Call;
use super::param;
use super::reply::{self, Value};
use super::HttpResponse;
use crate::error::{Error, Result};
use crate::random::Random;
use crate::storage::Storage;
use crate::time::format_rfc3339;

/// Replies with the new end of the lease (`leasedUntil`, RFC 3339).
pub(super) async fn extend<S: Storage, R: Random>(call: &Call<'_, S, R>) -> Result<HttpResponse> {
    let fields = call.fields;
    let mid = param::key(fields, "mid")?;
    let lid = fields.get("lid").unwrap_or("");
    // No default: an extension that does not say for how long is a mistake.
    let lease =
        param::duration(fields, "leaseTime")?.ok_or_else(|| Error::BadRequest("leaseTime is missing".into()))?;
    let until = format_rfc3339(call.server.extend(call.now, &mid, lid, lease).await?);
    Ok(reply::one(call.format, "leasedUntil", Value::Text(&until)))
}
