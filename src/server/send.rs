//! `send`: store the body as a blob and enqueue its header, idempotently.

use super::Server;
use crate::body::Body;
use crate::config::check_mailbox;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout;
use crate::message::{Receipt, Status};
use crate::random::Random;
use crate::record::{Blob, Header};
use crate::storage::{Batch, Storage};
use crate::time::format_rfc3339;

/// Body fields the server writes into a fetch reply; a body may not use them.
pub const RESERVED_FIELDS: &[&str] = &[
    "mid",
    "lid",
    "status",
    "statusCode",
    "leasedUntil",
    "receivedAt",
    "sendWhen",
    "deliveryCount",
    "validBody",
];

/// Field naming the server, as the Go original stamps it (keeps mids Go-compatible).
const SERVER_FIELD: (&str, &str) = ("p-server", "Pandora-Default-Server");
/// Field that makes a server-stamped send unique, so only client retries deduplicate.
const NONCE_FIELD: &str = "p-nonce";

/// Everything `send` needs besides the time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendRequest {
    pub sender: String,
    pub receiver: String,
    /// Delay before the message is due, in ms (0 … `max_delay`).
    pub delay: i64,
    /// The client's own timestamp; a retry that repeats it is deduplicated.
    /// `None`: the server stamps `now` and a unique nonce.
    pub client_time: Option<i64>,
    pub body: Body,
}

impl<S: Storage, R: Random> Server<S, R> {
    /// Enqueues a message for `req.receiver`, due after `req.delay`.
    ///
    /// An identical body (same fields and clientTime) that is still pending, or was
    /// confirmed within the dedupe window, is not enqueued again: the same mid comes
    /// back with `duplicate: true`.
    pub async fn send(&self, now: i64, req: SendRequest) -> Result<Receipt> {
        check_mailbox("sender", &req.sender)?;
        check_mailbox("receiver", &req.receiver)?;
        if !(0..=self.config.max_delay).contains(&req.delay) {
            return Err(Error::OutOfRange(format!(
                "delay must be between 0 and {}ms, got {}ms",
                self.config.max_delay, req.delay
            )));
        }
        req.body.reject_fields(RESERVED_FIELDS)?;

        let mut body = req.body;
        body.set("sender", req.sender.as_str());
        body.set("receiver", req.receiver.as_str());
        body.set(SERVER_FIELD.0, SERVER_FIELD.1);
        let client_time = match req.client_time {
            Some(t) => t,
            None => {
                let mut nonce = [0u8; 16];
                self.random.borrow_mut().fill(&mut nonce)?;
                body.set(NONCE_FIELD, hex::encode(nonce));
                now
            }
        };
        body.set("clientTime", format_rfc3339(client_time));
        let blob = body.encode().into_bytes();
        if blob.len() > self.config.max_size {
            return Err(Error::MessageTooBig { size: blob.len(), max: self.config.max_size });
        }
        let mid = Key::of(&blob);

        let _turn = self.gate.lock().await;
        let mut batch = Batch::new();
        if let Some(old) = self.load_header(&mid).await? {
            let confirmed = old.status() == Status::Confirmed;
            if !confirmed || now < old.tombstone_until {
                return Ok(Receipt { mid, duplicate: true });
            }
            // The dedupe window has closed: the tombstone makes way for a new message.
            batch.push((layout::tombstone(old.tombstone_until, &mid), None));
        }
        let refs = match self.storage.get(&layout::blob(&mid)).await? {
            Some(bytes) => Blob::decode(&bytes)?.refs,
            None => 0,
        };
        let send_when = now + req.delay;
        let header = Header {
            receiver: req.receiver,
            sender: req.sender,
            received_at: now,
            send_when,
            client_time,
            visible_at: send_when,
            leased_until: 0,
            lid: None,
            status: Status::NotDelivered.code(),
            delivery_count: 0,
            tombstone_until: 0,
        };
        batch.push((layout::blob(&mid), Some(Blob { refs: refs + 1, data: blob }.encode())));
        batch.push((layout::visible(&header.receiver, send_when, &mid), Some(Vec::new())));
        batch.push((layout::received(&header.receiver, now, &mid), Some(Vec::new())));
        batch.push((layout::header(&mid), Some(header.encode())));
        self.storage.write(batch).await?;
        Ok(Receipt { mid, duplicate: false })
    }
}
