//! `purge`: empty a mailbox (or its dead letters) in bounded, atomic chunks.

use super::bulk::Bulk;
use super::Server;
use crate::config::{check_mailbox, MAX_CHUNK};
use crate::error::{Error, Result};
use crate::layout;
use crate::message::PurgeScope;
use crate::random::Random;
use crate::storage::Storage;

impl<S: Storage, R: Random> Server<S, R> {
    /// Deletes the pending messages of `receiver` (`All`: delayed, due, leased
    /// and dead; `Dead`: dead letters only) with their bodies, `chunk` (1 …
    /// 1000) at a time, each chunk one atomic write (several on a store that
    /// caps its writes, each holding whole messages), until none is left.
    /// Returns how many were deleted. A failure stops it with an error after
    /// the chunks already written: calling it again finishes the job.
    pub async fn purge(&self, _now: i64, receiver: &str, scope: PurgeScope, chunk: usize) -> Result<u64> {
        check_mailbox("receiver", receiver)?;
        if !(1..=MAX_CHUNK).contains(&chunk) {
            return Err(Error::OutOfRange(format!("chunk must be between 1 and {MAX_CHUNK}, got {chunk}")));
        }
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let pending = (scope == PurgeScope::All).then(|| layout::visible_prefix(receiver));
        let dead = layout::dead_prefix(receiver);
        let mut deleted = 0;
        loop {
            // One chunk: pending messages first, then dead ones, `chunk` in all.
            let mut page = match &pending {
                Some(prefix) => self.storage.list(prefix, None, Some(chunk)).await?,
                None => Vec::new(),
            };
            let pending_count = page.len();
            let room = chunk - pending_count;
            if room > 0 {
                page.extend(self.storage.list(&dead, None, Some(room)).await?);
            }
            let last = page.len() < chunk;
            let mut bulk = Bulk::default();
            for (i, (key, _)) in page.into_iter().enumerate() {
                let (_, mid) =
                    layout::parse_index_key(&key).ok_or_else(|| Error::Corrupt(format!("index key {key:?}")))?;
                let rec = self
                    .load(&mid)
                    .await?
                    .ok_or_else(|| Error::Corrupt(format!("index entry without a record: {key}")))?;
                if i < pending_count {
                    bulk.rows.push((layout::received(&rec.receiver, rec.received_at, &mid), None));
                }
                bulk.rows.push((key, None));
                bulk.rows.push((layout::message(&mid), None));
                bulk.message_done();
                deleted += 1;
            }
            self.commit_bulk(bulk).await?;
            // A short chunk was the last one: nothing is read after the last write.
            if last {
                return Ok(deleted);
            }
        }
    }
}
