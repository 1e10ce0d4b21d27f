//! `POST …/admin/purge`: delete a mailbox's pending messages, or its dead ones.

use super::call::Call;
use super::param;
use super::reply::{self, Value};
use super::HttpResponse;
use crate::config::MAX_CHUNK;
use crate::error::{Error, Result};
use crate::message::PurgeScope;
use crate::random::Random;
use crate::storage::Storage;

/// `status` absent (or `all`): everything pending; `dead`: dead letters only.
/// The core works in atomic chunks, so a failed purge is simply repeated.
pub(super) async fn purge<S: Storage, R: Random>(call: &Call<'_, S, R>) -> Result<HttpResponse> {
    let scope = match param::optional(call.fields, "status") {
        None | Some("all") => PurgeScope::All,
        Some("dead") => PurgeScope::Dead,
        Some(other) => return Err(Error::BadRequest(format!("status must be \"all\" or \"dead\", got {other:?}"))),
    };
    let deleted = call.server.purge(call.now, call.receiver()?, scope, MAX_CHUNK).await?;
    Ok(reply::one(call.format, "deleted", Value::Count(deleted)))
}
