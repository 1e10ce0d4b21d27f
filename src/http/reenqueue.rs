//! `GET|POST …/admin/reenqueue`: release expired leases, for listings.

use super::reply::{self, Format};
use super::HttpResponse;
use crate::error::Result;
use crate::random::Random;
use crate::server::Server;
use crate::storage::Storage;

/// Replies with how many leases were released (`count=<n>`). Go replied `OK`
/// with no count; delivery never depends on this call (fetch finds expired
/// leases itself), so it only tidies what `admin/headers` shows.
pub(super) async fn reenqueue<S: Storage, R: Random>(
    server: &Server<S, R>,
    now: i64,
    format: Format,
) -> Result<HttpResponse> {
    let count = server.reenqueue(now).await?.to_string();
    Ok(reply::single(format, "count", &count, &count))
}
