//! `POST …/cancel`: remove a pending message of a mailbox.

use super::json_out::Object;
use super::param;
use super::reply::{self, Format};
use super::HttpResponse;
use crate::body::Body;
use crate::error::Result;
use crate::random::Random;
use crate::server::Server;
use crate::storage::Storage;

/// Replies `cancelled=true`, or `false` when the message was not pending.
pub(super) async fn cancel<S: Storage, R: Random>(
    server: &Server<S, R>,
    now: i64,
    fields: &Body,
    format: Format,
) -> Result<HttpResponse> {
    let receiver = param::mailbox(fields, "receiver")?;
    let mid = param::key(fields, "mid")?;
    let cancelled = server.cancel(now, receiver, &mid).await?;
    Ok(match format {
        Format::Form => {
            reply::form(&[("cancelled", if cancelled { "true" } else { "false" })].into_iter().collect())
        }
        Format::Json => reply::json(Object::new().bool("cancelled", cancelled).finish()),
    })
}
