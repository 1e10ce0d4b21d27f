//! `POST …/extend`: renew the current lease of a fetched message.

use super::json_out::Object;
use super::param;
use super::reply::{self, Format};
use super::HttpResponse;
use crate::body::Body;
use crate::error::{Error, Result};
use crate::random::Random;
use crate::server::Server;
use crate::storage::Storage;
use crate::time::format_rfc3339;

/// Replies with the new end of the lease (`leasedUntil`, RFC 3339).
pub(super) async fn extend<S: Storage, R: Random>(
    server: &Server<S, R>,
    now: i64,
    fields: &Body,
    format: Format,
) -> Result<HttpResponse> {
    let mid = param::key(fields, "mid")?;
    let lid = fields.get("lid").unwrap_or("");
    // No default: an extension that does not say for how long is a mistake.
    let lease = param::duration(fields, "leaseTime")?
        .ok_or_else(|| Error::BadRequest("leaseTime is missing".into()))?;
    let until = format_rfc3339(server.extend(now, &mid, lid, lease).await?);
    Ok(match format {
        Format::Form => reply::form(&[("leasedUntil", until.as_str())].into_iter().collect()),
        Format::Json => reply::json(Object::new().str("leasedUntil", &until).finish()),
    })
}
