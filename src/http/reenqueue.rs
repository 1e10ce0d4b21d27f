//! `GET|POST …/admin/reenqueue`: release expired leases, for listings.

use super::call::Call;
use super::reply::{self, Format, Value};
use super::HttpResponse;
use crate::error::Result;
use crate::random::Random;
use crate::storage::Storage;

/// Replies with how many leases were released (`count=<n>`). Go replied `OK`
/// with no count; delivery never depends on this call (fetch finds expired
/// leases itself), so it only tidies what `admin/headers` shows.
pub(super) async fn reenqueue<S: Storage, R: Random>(call: &Call<'_, S, R>) -> Result<HttpResponse> {
    let count = call.server.reenqueue(call.now).await?;
    Ok(count_reply(call.format, count))
}

/// `count=<n>` or `{"count": n}`: also what a host that spreads mailboxes over
/// several servers answers with the sum (see [`host_reply`](super::host_reply)).
pub(super) fn count_reply(format: Format, count: u64) -> HttpResponse {
    reply::one(format, "count", Value::Count(count))
}
