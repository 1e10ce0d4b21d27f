//! `POST …/cancel`: remove a pending message of a mailbox.

use super::call::Call;
use super::param;
use super::reply::{self, Value};
use super::HttpResponse;
use crate::error::Result;
use crate::random::Random;
use crate::storage::Storage;

/// Replies `cancelled=true`, or `false` when the message was not pending.
pub(super) async fn cancel<S: Storage, R: Random>(call: &Call<'_, S, R>) -> Result<HttpResponse> {
    let mid = param::key(call.fields, "mid")?;
    let cancelled = call.server.cancel(call.now, call.receiver()?, &mid).await?;
    Ok(reply::one(call.format, "cancelled", Value::Bool(cancelled)))
}
