//! `reenqueue`: mark expired leases as timed out, for listings.

use super::Server;
use crate::error::{Error, Result};
use crate::layout;
use crate::message::Status;
use crate::random::Random;
use crate::storage::{Batch, Storage};

/// Index entries read per `list` call while collecting.
const PAGE: usize = 256;

impl<S: Storage, R: Random> Server<S, R> {
    /// Releases every lease that has run out by `now` (status `timeout`, lock id
    /// dropped) and collects tombstones whose dedupe window has closed, in one
    /// atomic write. Returns how many leases were released. Delivery never
    /// depends on this: fetch finds expired leases by itself.
    pub async fn reenqueue(&self, now: i64) -> Result<u64> {
        let _turn = self.gate.lock().await;
        let mut batch = Batch::new();
        let mut released = 0;
        for (key, until, mid) in self.expired(layout::LEASES, now).await? {
            batch.push((key, None));
            if let Some(mut header) = self.load_header(&mid).await? {
                if header.lid.is_some() && header.leased_until == until {
                    header.lid = None;
                    header.status = Status::Timeout.code();
                    batch.push((layout::header(&mid), Some(header.encode())));
                    released += 1;
                }
            }
        }
        for (key, _, mid) in self.expired(layout::TOMBSTONES, now + 1).await? {
            batch.push((layout::header(&mid), None));
            batch.push((key, None));
        }
        if !batch.is_empty() {
            self.storage.write(batch).await?;
        }
        Ok(released)
    }

    /// Entries of a time index (`l/` or `t/`) whose time is before `before`, oldest
    /// first. A lease ends after its last valid ms; a tombstone at its closing ms.
    async fn expired(&self, prefix: &str, before: i64) -> Result<Vec<(String, i64, crate::key::Key)>> {
        let mut out = Vec::new();
        let mut start: Option<String> = None;
        loop {
            let page = self.storage.list(prefix, start.as_deref(), Some(PAGE)).await?;
            let full = page.len() == PAGE;
            for (key, _) in page {
                let (at, mid) = layout::parse_index_key(&key)
                    .ok_or_else(|| Error::Corrupt(format!("index key {key:?}")))?;
                if at >= before {
                    return Ok(out);
                }
                start = Some(key.clone() + "!");
                out.push((key, at, mid));
            }
            if !full {
                return Ok(out);
            }
        }
    }
}
