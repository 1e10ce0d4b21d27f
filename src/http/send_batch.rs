//! `POST …/sendBatch`: up to 100 sends, a JSON array of send objects, in one
//! atomic write per call.

use super::peek::json_array;
use super::reply;
use super::send::{receipt_json, send_request};
use super::HttpResponse;
use crate::body::Body;
use crate::error::{Error, Result};
use crate::random::Random;
use crate::server::Server;
use crate::storage::Storage;

/// Each item has the fields of a `send` (`sender`, `receiver`, `delay`,
/// `clientTime`, body fields). One unreadable item refuses the call with its
/// own code and its index, before the core sees any: nothing is enqueued. The
/// reply is a JSON array of `{mid, duplicate}` in input order.
pub(super) async fn send_batch<S: Storage, R: Random>(
    server: &Server<S, R>,
    now: i64,
    items: &[Body],
) -> Result<HttpResponse> {
    let requests = items
        .iter()
        .enumerate()
        .map(|(index, item)| send_request(item).map_err(|e| Error::BatchItem { index, error: Box::new(e) }))
        .collect::<Result<Vec<_>>>()?;
    let receipts = server.send_batch(now, requests).await?;
    Ok(reply::json(json_array(receipts.iter().map(receipt_json))))
}
