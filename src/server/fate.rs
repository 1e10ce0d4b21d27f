//! What happens to a message when it leaves the normal send → fetch → ack
//! path: it dies (`max_deliveries`), expires (ttl, retention), is cancelled or
//! purged, or is leased. Each adds its rows to the caller's batch, so every
//! operation still commits once.

use super::{to_message, Server};
use crate::body::Body;
use crate::error::Result;
use crate::key::Key;
use crate::layout::{self, Entry};
use crate::message::{Message, Status};
use crate::random::Random;
use crate::record::Record;
use crate::storage::{Batch, Storage};

impl<S: Storage, R: Random> Server<S, R> {
    /// True when `rec` has had as many deliveries as the server allows.
    pub(crate) fn at_limit(&self, rec: &Record) -> bool {
        self.config.max_deliveries > 0 && rec.delivery_count >= self.config.max_deliveries
    }

    /// The delay before `rec` is due again after a failed delivery, when the
    /// consumer named none.
    pub(crate) fn backoff(&self, rec: &Record) -> i64 {
        self.config.retry_backoff.map_or(0, |b| b.delay(rec.delivery_count))
    }

    /// Moves `rec` (in the queue, its delivery entry at `rec.visible_at`) to the
    /// dead letters: out of the delivery and listing indexes, into `x`. The
    /// record is rewritten: a dead message has no delivery entry to hold its state.
    pub(crate) fn kill(&self, mid: &Key, mut rec: Record, batch: &mut Batch) {
        batch.push((layout::visible(&rec.receiver, rec.visible_at, mid), None));
        batch.push((layout::received(&rec.receiver, rec.received_at, mid), None));
        rec.status = Status::Dead.code();
        rec.lid = None;
        let entry = Entry::queued(rec.body.len(), rec.delivery_count, rec.status);
        batch.push((layout::dead(&rec.receiver, rec.received_at, mid), Some(entry.encode())));
        batch.push((layout::message(mid), Some(rec.encode())));
    }

    /// Removes a pending `rec` (its delivery entry at `rec.visible_at`) and its
    /// body altogether.
    pub(crate) fn remove(&self, mid: &Key, rec: &Record, batch: &mut Batch) {
        batch.push((layout::visible(&rec.receiver, rec.visible_at, mid), None));
        batch.push((layout::received(&rec.receiver, rec.received_at, mid), None));
        batch.push((layout::message(mid), None));
    }

    /// An expired message: dead when the server keeps dead letters, else dropped.
    pub(crate) fn expire(&self, mid: &Key, rec: Record, batch: &mut Batch) {
        if self.config.max_deliveries > 0 {
            self.kill(mid, rec, batch);
        } else {
            self.remove(mid, &rec, batch);
        }
    }

    /// Hands out the due message `rec` (its delivery entry applied) for
    /// `lease` ms, adding its rows to `batch`: the delivery entry moves, and
    /// nothing else is written. `None` when it may not be delivered: it
    /// expired, or its lease ran out at the delivery limit; then the rows that
    /// retire it are added instead.
    pub(crate) fn lease_due(
        &self,
        now: i64,
        mid: Key,
        mut rec: Record,
        lease: i64,
        batch: &mut Batch,
    ) -> Result<Option<Message>> {
        if rec.expired(now) {
            self.expire(&mid, rec, batch);
            return Ok(None);
        }
        if rec.lid.is_some() {
            // Found through the index, so its lease has run out.
            if self.at_limit(&rec) {
                self.kill(&mid, rec, batch);
                return Ok(None);
            }
            rec.status = Status::Timeout.code();
        }
        let random = self.lid_random()?;
        batch.push((layout::visible(&rec.receiver, rec.visible_at, &mid), None));
        rec.lease_start = now;
        rec.delivery_count += 1;
        self.set_lease(&mid, &mut rec, now + lease, random, false, batch);
        let mut message = to_message(mid, &rec, now);
        message.lid = Some(self.lid_of(&random, rec.visible_at));
        message.body = Some(Body::decode(&rec.body));
        Ok(Some(message))
    }

    /// Sets the lease of `rec` to end at `until` under lock id `random` and
    /// writes its new delivery entry (the caller has deleted the old one), and
    /// the record too when `record` is set (`extend`: the lid it keeps then no
    /// longer names the entry). The lease holds through `until` inclusive (ack
    /// accepts `now <= leased_until`), so the message becomes visible one
    /// millisecond later, plus the retry back-off unless it will die then:
    /// never two valid leases.
    pub(crate) fn set_lease(
        &self,
        mid: &Key,
        rec: &mut Record,
        until: i64,
        random: [u8; 16],
        record: bool,
        batch: &mut Batch,
    ) {
        rec.leased_until = until;
        rec.lid = Some(random);
        let wait = if self.at_limit(rec) { 0 } else { self.backoff(rec) };
        rec.visible_at = until + 1 + wait;
        batch.push((layout::visible(&rec.receiver, rec.visible_at, mid), Some(rec.entry().encode())));
        if record {
            batch.push((layout::message(mid), Some(rec.encode())));
        }
    }
}
