//! `send`: store the body as a blob and enqueue its header, idempotently.

use super::Server;
use crate::body::Body;
use crate::config::{check_mailbox, MAX_DELAY_LIMIT};
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout;
use crate::message::{Receipt, Status};
use crate::random::Random;
use crate::record::Record;
use crate::storage::{Batch, Storage};
use crate::time::format_rfc3339;

/// Body fields the server writes into a fetch reply; a body may not use them.
pub const RESERVED_FIELDS: &[&str] =
    &["mid", "lid", "status", "statusCode", "leasedUntil", "receivedAt", "sendWhen", "deliveryCount", "validBody"];

/// Field naming the server, as the Go original stamps it (keeps mids Go-compatible).
const SERVER_FIELD: (&str, &str) = ("p-server", "Pandora-Default-Server");
/// Field that makes a server-stamped send unique, so only client retries deduplicate.
const NONCE_FIELD: &str = "p-nonce";
/// Every field `send` writes into a stored body (part of what the mid hashes);
/// views tell them apart from the sender's own fields by this list.
pub const STAMPED_FIELDS: &[&str] = &["sender", "receiver", "clientTime", SERVER_FIELD.0, NONCE_FIELD];

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
    /// Time to live in ms: a message still pending this long after it was
    /// received is never delivered (dropped, or dead with `max_deliveries`). 0: none.
    pub ttl: i64,
}

/// A send checked and encoded, ready to be stored: what `send` and
/// `send_batch` validate before they touch storage.
pub(crate) struct Prepared {
    pub mid: Key,
    pub req: SendRequest,
    pub client_time: i64,
    pub blob: Vec<u8>,
    /// The server stamped a fresh random nonce into the body, so the mid is new:
    /// no stored message can have it, and the dedupe read is skipped.
    pub minted: bool,
}

impl<S: Storage, R: Random> Server<S, R> {
    /// Enqueues a message for `req.receiver`, due after `req.delay`.
    ///
    /// An identical body (same fields and clientTime) that is still pending, or
    /// was received less than the dedupe window ago (as SQS FIFO counts it), is
    /// not enqueued again: the same mid comes back with `duplicate: true`.
    pub async fn send(&self, now: i64, req: SendRequest) -> Result<Receipt> {
        let prepared = self.prepare(now, req)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let mut batch = Batch::new();
        let mut reads = 0;
        let receiver = prepared.req.receiver.clone();
        let receipt = self.enqueue(now, prepared, &mut batch, &mut reads).await?;
        if !receipt.duplicate {
            let next = self.sweep(now, reads, &mut batch, &[receipt.mid], &[&receiver]).await?;
            self.commit(batch).await?;
            self.sweep_done(next);
        }
        Ok(receipt)
    }

    /// Checks `req` against the limits and encodes its body; touches nothing.
    pub(crate) fn prepare(&self, now: i64, mut req: SendRequest) -> Result<Prepared> {
        check_mailbox("sender", &req.sender)?;
        check_mailbox("receiver", &req.receiver)?;
        if !(0..=self.config.max_delay).contains(&req.delay) {
            return Err(Error::OutOfRange(format!(
                "delay must be between 0 and {}ms, got {}ms",
                self.config.max_delay, req.delay
            )));
        }
        if !(0..=MAX_DELAY_LIMIT).contains(&req.ttl) {
            return Err(Error::OutOfRange(format!("ttl must be between 0 (none) and 10 years, got {}ms", req.ttl)));
        }
        req.body.reject_fields(RESERVED_FIELDS)?;

        // The fields move into the stored body: nothing reads `req.body` after this.
        let mut body = std::mem::take(&mut req.body);
        body.set("sender", req.sender.as_str());
        body.set("receiver", req.receiver.as_str());
        body.set(SERVER_FIELD.0, SERVER_FIELD.1);
        let minted = req.client_time.is_none();
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
        Ok(Prepared { mid: Key::of(&blob), req, client_time, blob, minted })
    }

    /// Adds the rows of one prepared send to `batch`, unless it duplicates a
    /// message still pending, or received within the dedupe window. `reads`
    /// counts the storage reads made: one for a mid the client's fields and
    /// clientTime decide (two when such a record outlived its window), none
    /// for a minted one (128 random bits never repeat).
    pub(crate) async fn enqueue(&self, now: i64, p: Prepared, batch: &mut Batch, reads: &mut usize) -> Result<Receipt> {
        let mid = p.mid;
        let old = match p.minted {
            true => None,
            false => {
                *reads += 1;
                self.load(&mid).await?
            }
        };
        if let Some(old) = old {
            // Pending or confirmed, a repeat within the window is a duplicate.
            if !self.window_closed(now, old.received_at) {
                return Ok(Receipt { mid, duplicate: true });
            }
            *reads += 1;
            if self.in_queue(&mid, &old).await? {
                return Ok(Receipt { mid, duplicate: true });
            }
            // Confirmed, and the window has closed: the new record replaces the old one.
        }
        let send_when = now + p.req.delay;
        let rec = Record {
            sender: p.req.sender,
            receiver: p.req.receiver,
            received_at: now,
            send_when,
            client_time: p.client_time,
            visible_at: send_when,
            leased_until: 0,
            lease_start: 0,
            lid: None,
            status: Status::NotDelivered.code(),
            delivery_count: 0,
            expires_at: self.expiry(now, p.req.ttl),
            refs: 1,
            minted: p.minted,
            body: p.blob,
        };
        batch.push((layout::visible(&rec.receiver, send_when, &mid), Some(rec.entry().encode())));
        batch.push((layout::received(&rec.receiver, now, &mid), Some(layout::encode_pointer(now, send_when))));
        batch.push((layout::message(&mid), Some(rec.encode())));
        Ok(Receipt { mid, duplicate: false })
    }

    /// When a message received at `now` with `ttl` expires (0: never): the
    /// earlier of its ttl and the server's retention.
    fn expiry(&self, now: i64, ttl: i64) -> i64 {
        let limits = [ttl, self.config.retention].into_iter().filter(|&t| t > 0);
        limits.min().map_or(0, |t| now + t)
    }
}
