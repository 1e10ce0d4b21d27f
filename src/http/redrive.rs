//! `POST …/admin/redrive`: dead letters back to ready.

use super::call::Call;
use super::param;
use super::reply::{self, Value};
use super::HttpResponse;
use crate::config::MAX_CHUNK;
use crate::error::Result;
use crate::random::Random;
use crate::storage::Storage;

/// Moves up to `limit` (default and at most 1,000) dead messages, oldest
/// first; replies `moved=<n>`.
pub(super) async fn redrive<S: Storage, R: Random>(call: &Call<'_, S, R>) -> Result<HttpResponse> {
    let limit = param::count(call.fields, "limit", MAX_CHUNK)?.unwrap_or(MAX_CHUNK);
    let moved = call.server.redrive(call.now, call.receiver()?, limit).await?;
    Ok(reply::one(call.format, "moved", Value::Count(moved)))
}
