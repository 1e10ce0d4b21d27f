//! `reenqueue`: release expired leases (listings show them again), retire
//! expired messages, and collect every confirmed record whose dedupe window
//! has closed.

use super::Server;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout::{self, Entry};
use crate::message::Status;
use crate::random::Random;
use crate::record::Record;
use crate::storage::{Batch, Storage};

/// Rows read per `list` call while walking.
pub(crate) const PAGE: usize = 256;

impl<S: Storage, R: Random> Server<S, R> {
    /// Releases every lease that has run out by `now` (status `timeout`, lock id
    /// dropped, back in listings; dead instead at the delivery limit), retires
    /// expired messages and collects confirmed records whose dedupe window has
    /// closed, in one atomic write. Returns how many leases were released.
    /// Delivery never depends on this: fetch finds expired leases by itself.
    ///
    /// It walks every delivery entry and every message record, so it reads the
    /// whole store; it is an administrative call.
    pub async fn reenqueue(&self, now: i64) -> Result<u64> {
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let mut batch = Batch::new();
        let mut released = 0;
        // Entries of leases that have ended (they hold through `at - 1 - wait`),
        // and of messages that expired: each with its record.
        for (key, bytes) in self.walk(layout::ALL_VISIBLE).await? {
            let corrupt = || Error::Corrupt(format!("delivery entry {key:?}"));
            let (at, mid) = layout::parse_index_key(&key).ok_or_else(corrupt)?;
            let entry = Entry::decode(&bytes).ok_or_else(corrupt)?;
            let ended = entry.leased && now >= at - entry.wait as i64;
            let mut rec = self.load_pending(&mid, at, &entry).await?;
            // A running lease is left alone, even on an expired message.
            if !(ended || (!entry.leased && rec.expired(now))) {
                continue;
            }
            if rec.expired(now) {
                self.expire(&mid, rec, &mut batch);
            } else if self.at_limit(&rec) {
                self.kill(&mid, rec, &mut batch);
            } else {
                rec.lid = None;
                rec.status = Status::Timeout.code();
                batch.push((key, Some(rec.entry().encode())));
                let pointer = layout::encode_pointer(rec.received_at, at);
                batch.push((layout::received(&rec.receiver, rec.received_at, &mid), Some(pointer)));
                released += 1;
            }
        }
        // Records kept for a dedupe window that has closed, once confirmed.
        for (key, bytes) in self.walk(layout::MESSAGES).await? {
            let (received_at, keepable) = Record::decode_head(&bytes)?;
            if !keepable || !self.window_closed(now, received_at) {
                continue;
            }
            let mid: Key = layout::parse_message_key(&key).ok_or_else(|| Error::Corrupt(format!("message key {key:?}")))?;
            if !self.in_queue(&mid, &Record::decode(&bytes)?).await? {
                batch.push((key, None));
            }
        }
        if !batch.is_empty() {
            self.commit(batch).await?;
        }
        Ok(released)
    }

    /// Every row under `prefix`, read a page at a time.
    pub(crate) async fn walk(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let mut rows: Vec<(String, Vec<u8>)> = Vec::new();
        loop {
            let start = rows.last().map(|(key, _)| format!("{key}!"));
            let page = self.storage.list(prefix, start.as_deref(), Some(PAGE)).await?;
            let full = page.len() == PAGE;
            rows.extend(page);
            if !full {
                return Ok(rows);
            }
        }
    }
}
