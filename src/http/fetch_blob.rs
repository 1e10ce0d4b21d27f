//! `GET …/admin/fetchBlob`: the raw stored body of a message.

use super::call::Call;
use super::param;
use super::reply;
use super::HttpResponse;
use crate::error::{Error, Result};
use crate::random::Random;
use crate::storage::Storage;

/// 200 with the stored form-encoded bytes, whatever the `Accept`: they are the
/// blob the mid is the SHA-1 of, so they are served untouched. A blob nobody
/// references any more is gone, and that is a 404, not a client mistake.
pub(super) async fn fetch_blob<S: Storage, R: Random>(call: &Call<'_, S, R>) -> Result<HttpResponse> {
    let mid = param::key(call.fields, "mid")?;
    Ok(match call.server.fetch_blob(&mid).await? {
        Some(bytes) => reply::with_body(200, reply::FORM, bytes),
        None => {
            let err = Error::NotFound;
            reply::failure(call.format, 404, err.code(), &format!("no stored body for mid {mid}"))
        }
    })
}
