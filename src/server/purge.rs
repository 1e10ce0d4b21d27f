//! `purge`: empty a mailbox (or its dead letters) in bounded, atomic chunks.

use super::Server;
use crate::config::{check_mailbox, MAX_CHUNK};
use crate::error::{Error, Result};
use crate::layout;
use crate::message::PurgeScope;
use crate::random::Random;
use crate::storage::{Batch, Storage};

impl<S: Storage, R: Random> Server<S, R> {
    /// Deletes the pending messages of `receiver` (`All`: delayed, due, leased
    /// and dead; `Dead`: dead letters only) with their bodies, `chunk` (1 …
    /// 1000) at a time, each chunk one atomic write, until none is left.
    /// Returns how many were deleted. A failure stops it with an error after
    /// the chunks already written: calling it again finishes the job.
    pub async fn purge(&self, _now: i64, receiver: &str, scope: PurgeScope, chunk: usize) -> Result<u64> {
        check_mailbox("receiver", receiver)?;
        if !(1..=MAX_CHUNK).contains(&chunk) {
            return Err(Error::OutOfRange(format!("chunk must be between 1 and {MAX_CHUNK}, got {chunk}")));
        }
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let mut deleted = 0;
        if scope == PurgeScope::All {
            deleted += self.purge_index(&layout::visible_prefix(receiver), chunk, false).await?;
        }
        deleted += self.purge_index(&layout::dead_prefix(receiver), chunk, true).await?;
        Ok(deleted)
    }

    /// Deletes, chunk by chunk, every message with an entry under `prefix`
    /// (a delivery index, or a dead-letter index when `dead`).
    async fn purge_index(&self, prefix: &str, chunk: usize, dead: bool) -> Result<u64> {
        let mut deleted = 0;
        loop {
            let page = self.storage.list(prefix, None, Some(chunk)).await?;
            if page.is_empty() {
                return Ok(deleted);
            }
            let mut batch = Batch::new();
            for (key, _) in page {
                let (_, mid) = layout::parse_index_key(&key)
                    .ok_or_else(|| Error::Corrupt(format!("index key {key:?}")))?;
                let rec = self
                    .load(&mid)
                    .await?
                    .ok_or_else(|| Error::Corrupt(format!("index entry without a record: {key}")))?;
                if !dead {
                    batch.push((layout::received(&rec.receiver, rec.received_at, &mid), None));
                }
                batch.push((key, None));
                batch.push((layout::message(&mid), None));
                deleted += 1;
            }
            self.storage.write(batch).await?;
        }
    }
}
