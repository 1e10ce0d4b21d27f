//! `GET …/peek`: the next due messages with bodies, nothing leased or changed.

use super::call::Call;
use super::fetch::json_object;
use super::param;
use super::reply;
use super::HttpResponse;
use crate::config::MAX_BATCH;
use crate::error::Result;
use crate::random::Random;
use crate::storage::Storage;

/// A JSON array of messages in the fetch reply's shape (`lid` empty), earliest
/// due first; `[]` when none. Always JSON: a list has no Go form layout.
pub(super) async fn peek<S: Storage, R: Random>(call: &Call<'_, S, R>) -> Result<HttpResponse> {
    let limit = param::count(call.fields, "limit", MAX_BATCH)?.unwrap_or(1);
    let messages = call.server.peek(call.now, call.receiver()?, limit).await?;
    Ok(reply::json(json_array(messages.iter().map(json_object))))
}

/// `[a,b,…]` of already-encoded JSON values.
pub(super) fn json_array(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.collect::<Vec<_>>().join(","))
}
