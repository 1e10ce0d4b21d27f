//! `GET …/admin/fetchBlob`: the raw stored body of a message.

use super::param;
use super::reply::{self, Format};
use super::HttpResponse;
use crate::body::Body;
use crate::error::{Error, Result};
use crate::random::Random;
use crate::server::Server;
use crate::storage::Storage;

/// 200 with the stored form-encoded bytes, whatever the `Accept`: they are the
/// blob the mid is the SHA-1 of, so they are served untouched. A blob nobody
/// references any more is gone, and that is a 404, not a client mistake.
pub(super) async fn fetch_blob<S: Storage, R: Random>(
    server: &Server<S, R>,
    fields: &Body,
    format: Format,
) -> Result<HttpResponse> {
    let mid = param::key(fields, "mid")?;
    Ok(match server.fetch_blob(&mid).await? {
        Some(bytes) => reply::with_body(200, reply::FORM, bytes),
        None => {
            let err = Error::NotFound;
            reply::failure(format, 404, err.code(), &format!("no stored body for mid {mid}"))
        }
    })
}
