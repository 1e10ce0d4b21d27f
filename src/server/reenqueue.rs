//! `reenqueue`: release expired leases (listings show them again), retire
//! expired messages, and collect every confirmed record whose dedupe window
//! has closed.

use super::bulk::Bulk;
use super::Server;
use crate::error::{Error, Result};
use crate::layout::{self, Entry};
use crate::message::Status;
use crate::random::Random;
use crate::record::Record;
use crate::storage::Storage;

/// Rows read per `list` call while walking.
const PAGE: usize = 256;

impl<S: Storage, R: Random> Server<S, R> {
    /// Releases every lease that has run out by `now` (status `timeout`, lock id
    /// dropped, back in listings; dead instead at the delivery limit), retires
    /// expired messages and collects confirmed records whose dedupe window has
    /// closed, in one atomic write (several on a store that caps its writes,
    /// each holding whole messages). Returns how many leases were released.
    /// Delivery never depends on this: fetch finds expired leases by itself.
    ///
    /// It walks every message record and every delivery entry, a page at a
    /// time, keeping only the rows it acts on: it reads the whole store; it is
    /// an administrative call.
    pub async fn reenqueue(&self, now: i64) -> Result<u64> {
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        // Records that expired, or that a confirm may have left for a window now closed.
        let records = self
            .walk(layout::MESSAGES, |_, bytes| {
                // A row that does not decode is kept, so that its error surfaces below.
                Record::decode(bytes).map_or(true, |r| {
                    r.status() != Status::Dead
                        && (r.expired(now) || (!r.minted && self.window_closed(now, r.received_at)))
                })
            })
            .await?;
        let mut bulk = Bulk::default();
        for (key, bytes) in records {
            bulk.message_done();
            let mut rec = Record::decode(&bytes)?;
            let mid = layout::parse_message_key(&key).ok_or_else(|| Error::Corrupt(format!("message key {key:?}")))?;
            let listing = layout::received(&rec.receiver, rec.received_at, &mid);
            let Some(pointer) = self.storage.get(&listing).await? else {
                // Confirmed: collected once its window has closed.
                if !rec.minted && self.window_closed(now, rec.received_at) {
                    bulk.rows.push((key, None));
                }
                continue;
            };
            // Expired and pending: retired where its listing entry points. Not
            // there, it is leased: a running lease is left alone, an ended one
            // is met below.
            let at = layout::decode_pointer(rec.received_at, &pointer)
                .ok_or_else(|| Error::Corrupt(format!("listing entry {listing:?}")))?;
            let visible = layout::visible(&rec.receiver, at, &mid);
            if let Some(entry) = self.storage.get(&visible).await? {
                let entry =
                    Entry::decode(&entry).ok_or_else(|| Error::Corrupt(format!("delivery entry {visible:?}")))?;
                if rec.expired(now) && !entry.leased {
                    rec.apply(at, &entry);
                    self.expire(&mid, rec, &mut bulk.rows);
                }
            }
        }
        // Delivery entries of leases that have ended (they hold through `at - 1 - wait`).
        let ended = |key: &str, bytes: &[u8]| match (layout::parse_index_time(key), Entry::decode(bytes)) {
            (Some(at), Some(e)) => e.leased && now >= at - e.wait as i64,
            _ => true,
        };
        let mut released = 0;
        for (key, bytes) in self.walk(layout::ALL_VISIBLE, ended).await? {
            bulk.message_done();
            let corrupt = || Error::Corrupt(format!("delivery entry {key:?}"));
            let (at, mid) = layout::parse_index_key(&key).ok_or_else(corrupt)?;
            let entry = Entry::decode(&bytes).ok_or_else(corrupt)?;
            let mut rec = self.load_pending(&mid, at, &entry).await?;
            if rec.expired(now) {
                self.expire(&mid, rec, &mut bulk.rows);
            } else if self.at_limit(&rec) {
                self.kill(&mid, rec, &mut bulk.rows);
            } else {
                rec.lid = None;
                rec.status = Status::Timeout.code();
                bulk.rows.push((key, Some(rec.entry().encode())));
                let pointer = layout::encode_pointer(rec.received_at, at);
                bulk.rows.push((layout::received(&rec.receiver, rec.received_at, &mid), Some(pointer)));
                released += 1;
            }
        }
        self.commit_bulk(bulk).await?;
        Ok(released)
    }

    /// The rows under `prefix` that `keep` picks, read a page at a time: what
    /// is held in memory is what is kept, not the whole range.
    pub(crate) async fn walk(
        &self,
        prefix: &str,
        mut keep: impl FnMut(&str, &[u8]) -> bool,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        let mut kept = Vec::new();
        let mut start: Option<String> = None;
        loop {
            let page = self.storage.list(prefix, start.as_deref(), Some(PAGE)).await?;
            let full = page.len() == PAGE;
            start = page.last().map(|(key, _)| format!("{key}!"));
            kept.extend(page.into_iter().filter(|(key, value)| keep(key, value)));
            if !full {
                return Ok(kept);
            }
        }
    }
}
