//! `POST …/sendBatch`: up to 100 sends, a JSON array of send objects, in one
//! atomic write per call.

use super::peek::json_array;
use super::reply;
use super::send::{receipt_json, send_request};
use super::HttpResponse;
use crate::body::Body;
use crate::config::{check_mailbox, MAX_DELAY_LIMIT};
use crate::error::{Error, Result};
use crate::random::Random;
use crate::server::{SendRequest, Server, RESERVED_FIELDS};
use crate::storage::Storage;

/// The sends `items` ask for, each checked as far as no server setting
/// matters: its fields, mailbox names, reserved body fields and the absolute
/// delay bound. [`check`](super::check) runs this too, so a host that splits a
/// batch over several servers (the Worker: one object per mailbox) refuses a
/// bad item, naming its index, before any server enqueues anything. What
/// depends on a server's settings (its `max_delay`, `max_size`) its own
/// `send_batch` checks.
pub(super) fn requests_of(items: &[Body]) -> Result<Vec<SendRequest>> {
    let one = |item: &Body| -> Result<SendRequest> {
        let request = send_request(item)?;
        check_mailbox("sender", &request.sender)?;
        check_mailbox("receiver", &request.receiver)?;
        request.body.reject_fields(RESERVED_FIELDS)?;
        if !(0..=MAX_DELAY_LIMIT).contains(&request.delay) {
            return Err(Error::OutOfRange(format!("delay must be at most 10 years, got {}ms", request.delay)));
        }
        Ok(request)
    };
    let each = items.iter().enumerate();
    each.map(|(index, item)| one(item).map_err(|e| Error::BatchItem { index, error: Box::new(e) })).collect()
}

/// Each item has the fields of a `send` (`sender`, `receiver`, `delay`,
/// `clientTime`, body fields). One unreadable item refuses the call with its
/// own code and its index, before the core sees any: nothing is enqueued. The
/// reply is a JSON array of `{mid, duplicate}` in input order.
pub(super) async fn send_batch<S: Storage, R: Random>(
    server: &Server<S, R>,
    now: i64,
    items: &[Body],
) -> Result<HttpResponse> {
    let requests = requests_of(items)?;
    let receipts = server.send_batch(now, requests).await?;
    Ok(reply::json(json_array(receipts.iter().map(receipt_json))))
}
