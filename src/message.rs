//! What a consumer sees: message headers, delivery status, and acks.

use crate::body::Body;
use crate::error::{Error, Result};
use crate::key::Key;

/// Delivery status, with the Go original's numeric codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Processed by a consumer; the message has left the queue (1).
    Confirmed = 1,
    /// Handed back by a consumer; deliverable again (2).
    Rejected = 2,
    /// A lease ran out before an ack; deliverable again (4).
    Timeout = 4,
    /// Waiting for its first delivery (8).
    NotDelivered = 8,
    /// Reached `max_deliveries` (or expired with it set): never delivered again
    /// until redriven (16).
    Dead = 16,
}

impl Status {
    /// Every status, in code order: the one list bindings and docs are derived from.
    pub const ALL: [Status; 5] =
        [Status::Confirmed, Status::Rejected, Status::Timeout, Status::NotDelivered, Status::Dead];

    /// The numeric code used on the wire (`statusCode`).
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The name used on the wire (`status`).
    pub fn name(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Rejected => "rejected",
            Status::Timeout => "timeout",
            Status::NotDelivered => "notDelivered",
            Status::Dead => "dead",
        }
    }

    /// The status with numeric `code`, if any.
    pub fn from_code(code: u8) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A consumer's verdict on a leased message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ack {
    /// Done: the message leaves the queue.
    Confirmed,
    /// Put back: deliverable again after `retry_delay` ms. 0 means none was
    /// given: at once, or after the server's `retry_backoff` if it has one.
    Rejected { retry_delay: i64 },
}

impl Ack {
    /// Parses `1`/`2` or `confirmed`/`rejected` (decimal only: the Go original's
    /// base-32 parse let `81` confirm).
    pub fn parse(text: &str) -> Result<Ack> {
        match text.trim() {
            "1" | "confirmed" => Ok(Ack::Confirmed),
            "2" | "rejected" => Ok(Ack::Rejected { retry_delay: 0 }),
            other => Err(Error::UnknownStatus(other.to_string())),
        }
    }
}

/// A pending message as listed or delivered. Times are ms since the Unix epoch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// SHA-1 of the stored body.
    pub mid: Key,
    /// The lock id of this delivery; `None` in listings (a lid is a secret).
    pub lid: Option<String>,
    /// Status before this delivery: `NotDelivered`, `Rejected` or `Timeout`.
    pub status: Status,
    /// Who sent it.
    pub sender: String,
    /// Whose mailbox it is in.
    pub receiver: String,
    /// When the server accepted it.
    pub received_at: i64,
    /// When it became (or becomes) deliverable: `received_at + delay`.
    pub send_when: i64,
    /// End of the current or last lease; 0 if never leased.
    pub leased_until: i64,
    /// When it is next due: its send time, the end of a running lease, or the
    /// retry time of a rejected message (its back-off counts down to this).
    pub visible_at: i64,
    /// True while a lease is running (`now <= leased_until` and not acked).
    pub leased: bool,
    /// Deliveries so far, counting this one (1 on the first fetch).
    pub delivery_count: u32,
    /// The sender's `clientTime` (or the server's receive time when none was given).
    pub client_time: i64,
    /// The stored body; `None` in listings, or when the blob is missing (`validBody=false`).
    pub body: Option<Body>,
}

/// What `send` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The message id.
    pub mid: Key,
    /// True when an identical message was already pending or recently confirmed:
    /// nothing new was enqueued.
    pub duplicate: bool,
}

/// One item of `ack_batch`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckRequest {
    pub mid: Key,
    pub lid: String,
    pub ack: Ack,
}

/// Exact counts of one mailbox at a time `now`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Due now (including leases that have run out).
    pub ready: u64,
    /// Not due yet: delayed sends, rejects with a retry delay, retry back-off.
    pub delayed: u64,
    /// Under a running lease.
    pub leased: u64,
    /// Dead letters (see `Config::max_deliveries`).
    pub dead: u64,
    /// Bytes of the stored bodies of all of the above.
    pub bytes: u64,
    /// The earliest due time of a ready message, if any.
    pub oldest_ready: Option<i64>,
}

/// Which messages `purge` deletes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PurgeScope {
    /// Everything pending (delayed, due, leased) and dead.
    All,
    /// Dead letters only.
    Dead,
}
