//! `POST …/send`: enqueue the request's fields as a message.

use super::call::Call;
use super::json_out::Object;
use super::param;
use super::reply::{self, Format};
use super::HttpResponse;
use crate::body::Body;
use crate::error::Result;
use crate::message::Receipt;
use crate::random::Random;
use crate::server::SendRequest;
use crate::storage::Storage;

/// Fields that steer the send rather than travel in the body. `sender`,
/// `receiver` and `clientTime` come back into the body through the core, which
/// writes them itself; `delay` is not part of the message (as in Go), nor is
/// `ttl` (the Go original had none: a Go client's body field of that name now
/// steers the send, the one field name this takes from bodies); `p-server`
/// and `p-nonce` are the server's to set, so a client's copy is dropped instead
/// of sitting beside the server's (the Go original duplicated `p-server`).
const CONTROL_FIELDS: &[&str] = &["sender", "receiver", "delay", "ttl", "clientTime", "p-server", "p-nonce"];

pub(super) async fn send<S: Storage, R: Random>(call: &Call<'_, S, R>) -> Result<HttpResponse> {
    let receipt = call.server.send(call.now, send_request(call.fields)?).await?;
    let mid = receipt.mid.to_hex();
    Ok(match call.format {
        Format::Form => reply::form(&[("mid", mid.as_str())].into_iter().collect()),
        Format::Json => reply::json(receipt_json(&receipt)),
    })
}

/// The send a request's fields ask for (one send, or one item of a `sendBatch`).
pub(super) fn send_request(fields: &Body) -> Result<SendRequest> {
    let sender = param::mailbox(fields, "sender")?.to_owned();
    let receiver = param::mailbox(fields, "receiver")?.to_owned();
    let delay = param::duration(fields, "delay")?.unwrap_or(0);
    let client_time = param::time(fields, "clientTime")?;
    let ttl = param::duration(fields, "ttl")?.unwrap_or(0);
    let body = fields
        .fields()
        .iter()
        .filter(|(name, _)| !CONTROL_FIELDS.contains(&name.as_str()))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    Ok(SendRequest { sender, receiver, delay, client_time, body, ttl })
}

/// `{"mid": …, "duplicate": …}`: a send's JSON reply, and one entry of a batch's.
pub(super) fn receipt_json(receipt: &Receipt) -> String {
    Object::new().str("mid", &receipt.mid.to_hex()).bool("duplicate", receipt.duplicate).finish()
}
