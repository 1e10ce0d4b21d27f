//! `reenqueue`: mark expired leases as timed out, for listings, and collect
//! every confirmed record whose dedupe window has closed.

use super::Server;
use crate::error::{Error, Result};
use crate::layout;
use crate::message::Status;
use crate::random::Random;
use crate::record::Record;
use crate::storage::{Batch, Storage};

/// Records read per `list` call while walking.
const PAGE: usize = 256;

impl<S: Storage, R: Random> Server<S, R> {
    /// Releases every lease that has run out by `now` (status `timeout`, lock id
    /// dropped; dead instead at the delivery limit), retires expired messages
    /// and collects confirmed records whose dedupe window has closed, in one
    /// atomic write. Returns how many leases were released. Delivery never
    /// depends on this: fetch finds expired leases by itself.
    ///
    /// It walks every message record (format 2 keeps no lease index: that would
    /// cost two rows per fetch), so it reads the whole store; it is an
    /// administrative call.
    pub async fn reenqueue(&self, now: i64) -> Result<u64> {
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let mut batch = Batch::new();
        let mut released = 0;
        let mut start: Option<String> = None;
        loop {
            let page = self.storage.list(layout::MESSAGES, start.as_deref(), Some(PAGE)).await?;
            let full = page.len() == PAGE;
            for (key, bytes) in page {
                let mid = layout::parse_message_key(&key)
                    .ok_or_else(|| Error::Corrupt(format!("message key {key:?}")))?;
                let mut rec = Record::decode(&bytes)?;
                start = Some(format!("{key}!"));
                if rec.status() == Status::Dead {
                    continue;
                }
                if rec.lid.is_none() {
                    // Not leased: only an expiry concerns reenqueue.
                    if rec.expired(now) {
                        self.expire(&mid, rec, &mut batch);
                    }
                    continue;
                }
                if !rec.lease_expired(now) {
                    continue;
                }
                if !self.in_queue(&mid, &rec).await? {
                    if self.collectable_candidate(now, rec.lid.is_some(), rec.leased_until) {
                        batch.push((key, None));
                    }
                } else if rec.expired(now) {
                    self.expire(&mid, rec, &mut batch);
                } else if self.at_limit(&rec) {
                    self.kill(&mid, rec, &mut batch);
                } else {
                    rec.lid = None;
                    rec.status = Status::Timeout.code();
                    batch.push((key, Some(rec.encode())));
                    released += 1;
                }
            }
            if !full {
                break;
            }
        }
        if !batch.is_empty() {
            self.commit(batch).await?;
        }
        Ok(released)
    }
}
