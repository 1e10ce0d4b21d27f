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
const PAGE: usize = 256;

impl<S: Storage, R: Random> Server<S, R> {
    /// Releases every lease that has run out by `now` (status `timeout`, lock id
    /// dropped, back in listings; dead instead at the delivery limit), retires
    /// expired messages and collects confirmed records whose dedupe window has
    /// closed, in one atomic write. Returns how many leases were released.
    /// Delivery never depends on this: fetch finds expired leases by itself.
    ///
    /// It walks every message record and every delivery entry, so it reads the
    /// whole store; it is an administrative call.
    pub async fn reenqueue(&self, now: i64) -> Result<u64> {
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let mut batch = Batch::new();
        let mut start = None;
        while let Some(page) = self.page(layout::MESSAGES, &mut start).await? {
            for (key, bytes) in &page {
                self.reenqueue_record(now, key, bytes, &mut batch).await?;
            }
        }
        // Leases whose end has passed (they hold through `at - 1 - wait`).
        let mut leases = Vec::new();
        while let Some(page) = self.page(layout::ALL_VISIBLE, &mut start).await? {
            for (key, bytes) in &page {
                let corrupt = || Error::Corrupt(format!("delivery entry {key:?}"));
                let (at, mid) = layout::parse_index_key(key).ok_or_else(corrupt)?;
                let entry = Entry::decode(bytes).ok_or_else(corrupt)?;
                if entry.leased && now >= at - entry.wait as i64 {
                    leases.push((at, mid, entry));
                }
            }
        }
        let mut released = 0;
        for (at, mid, entry) in leases {
            let mut rec = self.load_pending(&mid, at, &entry).await?;
            if rec.expired(now) {
                self.expire(&mid, rec, &mut batch);
            } else if self.at_limit(&rec) {
                self.kill(&mid, rec, &mut batch);
            } else {
                rec.lid = None;
                rec.status = Status::Timeout.code();
                batch.push((layout::visible(&rec.receiver, at, &mid), Some(rec.entry().encode())));
                let pointer = layout::encode_pointer(rec.received_at, at);
                batch.push((layout::received(&rec.receiver, rec.received_at, &mid), Some(pointer)));
                released += 1;
            }
        }
        if !batch.is_empty() {
            self.commit(batch).await?;
        }
        Ok(released)
    }

    /// What `reenqueue` does with one message record: collect it when it is
    /// a confirmed one whose window has closed, retire it when it expired
    /// (unless it is leased: the walk of the delivery entries sees to those).
    async fn reenqueue_record(&self, now: i64, key: &str, bytes: &[u8], batch: &mut Batch) -> Result<()> {
        let mid: Key = layout::parse_message_key(key).ok_or_else(|| Error::Corrupt(format!("message key {key:?}")))?;
        let (received_at, keepable) = Record::decode_head(bytes)?;
        let candidate = keepable && self.window_closed(now, received_at);
        let mut rec = Record::decode(bytes)?;
        if rec.status() == Status::Dead || !(candidate || rec.expired(now)) {
            return Ok(());
        }
        let listing = layout::received(&rec.receiver, rec.received_at, &mid);
        let Some(pointer) = self.storage.get(&listing).await? else {
            // Confirmed: nothing but the record is left.
            if candidate {
                batch.push((key.to_string(), None));
            }
            return Ok(());
        };
        if !rec.expired(now) {
            return Ok(());
        }
        let at = layout::decode_pointer(rec.received_at, &pointer)
            .ok_or_else(|| Error::Corrupt(format!("listing entry {listing:?}")))?;
        let visible = layout::visible(&rec.receiver, at, &mid);
        if let Some(bytes) = self.storage.get(&visible).await? {
            let entry = Entry::decode(&bytes).ok_or_else(|| Error::Corrupt(format!("delivery entry {visible:?}")))?;
            rec.apply(at, &entry);
            self.expire(&mid, rec, batch);
        }
        Ok(())
    }

    /// The next page of a walk through `prefix` from `start` (`None` at the
    /// beginning), which it moves on; `None` once the walk is over, with
    /// `start` reset for the next one.
    async fn page(&self, prefix: &str, start: &mut Option<String>) -> Result<Option<Vec<(String, Vec<u8>)>>> {
        if start.as_deref() == Some("") {
            *start = None;
            return Ok(None);
        }
        let page = self.storage.list(prefix, start.as_deref(), Some(PAGE)).await?;
        // A short page is the last: an empty start marks the walk as done.
        *start = Some(match page.last() {
            Some((key, _)) if page.len() == PAGE => format!("{key}!"),
            _ => String::new(),
        });
        Ok(Some(page))
    }
}
