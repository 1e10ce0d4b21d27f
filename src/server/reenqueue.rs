//! `reenqueue`: mark expired leases as timed out, for listings.

use super::Server;
use crate::error::{Error, Result};
use crate::layout;
use crate::message::Status;
use crate::random::Random;
use crate::storage::{Batch, Storage};

/// Leases settled per atomic batch, so one call never builds an unbounded write.
const CHUNK: usize = 128;

impl<S: Storage, R: Random> Server<S, R> {
    /// Releases every lease that has run out by `now` (status `timeout`, lock id
    /// dropped) and collects tombstones whose dedupe window has closed. Returns how
    /// many leases were released. Delivery never depends on this: fetch finds
    /// expired leases by itself.
    pub async fn reenqueue(&self, now: i64) -> Result<u64> {
        let _turn = self.gate.lock().await;
        let mut released = 0;
        loop {
            let entries = self.storage.list(layout::LEASES, None, Some(CHUNK)).await?;
            let mut batch = Batch::new();
            let mut processed = 0;
            for (key, _) in &entries {
                let (until, mid) = layout::parse_index_key(key)
                    .ok_or_else(|| Error::Corrupt(format!("index key {key:?}")))?;
                if until >= now {
                    break;
                }
                processed += 1;
                batch.push((key.clone(), None));
                if let Some(mut header) = self.load_header(&mid).await? {
                    if header.lid.is_some() && header.leased_until == until {
                        header.lid = None;
                        header.status = Status::Timeout.code();
                        batch.push((layout::header(&mid), Some(header.encode())));
                        released += 1;
                    }
                }
            }
            let done = processed < entries.len() || entries.len() < CHUNK;
            if !batch.is_empty() {
                self.storage.write(batch).await?;
            }
            if done {
                break;
            }
        }
        self.collect_tombstones(now).await?;
        Ok(released)
    }

    async fn collect_tombstones(&self, now: i64) -> Result<()> {
        loop {
            let entries = self.storage.list(layout::TOMBSTONES, None, Some(CHUNK)).await?;
            let mut batch = Batch::new();
            for (key, _) in &entries {
                match layout::parse_index_key(key) {
                    Some((until, mid)) if until <= now => {
                        batch.push((layout::header(&mid), None));
                        batch.push((key.clone(), None));
                    }
                    _ => break,
                }
            }
            let full = batch.len() == entries.len() * 2 && entries.len() == CHUNK;
            if !batch.is_empty() {
                self.storage.write(batch).await?;
            }
            if !full {
                return Ok(());
            }
        }
    }
}
