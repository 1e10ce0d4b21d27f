//! `POST …/admin/redrive`: dead letters back to ready.

use super::json_out::Object;
use super::param;
use super::reply::{self, Format};
use super::HttpResponse;
use crate::body::Body;
use crate::config::MAX_CHUNK;
use crate::error::Result;
use crate::random::Random;
use crate::server::Server;
use crate::storage::Storage;

/// Moves up to `limit` (default and at most 1,000) dead messages, oldest
/// first; replies `moved=<n>`.
pub(super) async fn redrive<S: Storage, R: Random>(
    server: &Server<S, R>,
    now: i64,
    fields: &Body,
    format: Format,
) -> Result<HttpResponse> {
    let receiver = param::mailbox(fields, "receiver")?;
    let limit = param::count(fields, "limit", MAX_CHUNK)?.unwrap_or(MAX_CHUNK);
    let moved = server.redrive(now, receiver, limit).await?;
    Ok(match format {
        Format::Form => reply::form(&[("moved", moved.to_string())].into_iter().collect()),
        Format::Json => reply::json(Object::new().int("moved", moved).finish()),
    })
}
