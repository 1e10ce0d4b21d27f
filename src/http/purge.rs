//! `POST …/admin/purge`: delete a mailbox's pending messages, or its dead ones.

use super::json_out::Object;
use super::param;
use super::reply::{self, Format};
use super::HttpResponse;
use crate::body::Body;
use crate::config::MAX_CHUNK;
use crate::error::{Error, Result};
use crate::message::PurgeScope;
use crate::random::Random;
use crate::server::Server;
use crate::storage::Storage;

/// `status` absent (or `all`): everything pending; `dead`: dead letters only.
/// The core works in atomic chunks, so a failed purge is simply repeated.
pub(super) async fn purge<S: Storage, R: Random>(
    server: &Server<S, R>,
    now: i64,
    fields: &Body,
    format: Format,
) -> Result<HttpResponse> {
    let receiver = param::mailbox(fields, "receiver")?;
    let scope = match param::optional(fields, "status") {
        None | Some("all") => PurgeScope::All,
        Some("dead") => PurgeScope::Dead,
        Some(other) => return Err(Error::BadRequest(format!("status must be \"all\" or \"dead\", got {other:?}"))),
    };
    let deleted = server.purge(now, receiver, scope, MAX_CHUNK).await?;
    Ok(match format {
        Format::Form => reply::form(&[("deleted", deleted.to_string())].into_iter().collect()),
        Format::Json => reply::json(Object::new().int("deleted", deleted).finish()),
    })
}
