//! `stats`: exact counts of a mailbox, read from its indexes alone.

use super::index_rows::{self, IndexRows, Range};
use super::Server;
use crate::config::check_mailbox;
use crate::error::Result;
use crate::layout;
use crate::message::Stats;
use crate::random::Random;
use crate::storage::Storage;

impl<S: Storage, R: Random> Server<S, R> {
    /// Counts of `receiver` at `now`. Every message in the queue has one
    /// delivery entry (or, dead, one dead-letter entry) whose key holds when it
    /// is next due and whose value says whether that is a lease's end and how
    /// big its body is, so its rows answer exactly, with no record read and
    /// nothing added to what send, fetch or ack write.
    ///
    /// Where the store declares this server its only writer
    /// ([`Storage::sole_writer`]), the first call scans the two ranges and
    /// keeps them parsed in memory, updated from every batch this server
    /// commits; later calls count from there and read nothing. Elsewhere each
    /// call scans.
    ///
    /// A message past its ttl counts as what its entry says until an
    /// operation meets it (fetch, peek, reenqueue) and drops it.
    pub async fn stats(&self, now: i64, receiver: &str) -> Result<Stats> {
        check_mailbox("receiver", receiver)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let prefix = layout::visible_prefix(receiver);
        if let Some(stats) = self.stats_mirror.with(&prefix, |rows| rows.stats(now)) {
            return Ok(stats);
        }
        let rows = self.scan_index_rows(receiver).await?;
        let stats = rows.stats(now);
        if self.storage.sole_writer() {
            // Read under the gate, so no write ran between the scans and here.
            self.stats_mirror.keep(&prefix, rows);
        }
        Ok(stats)
    }

    /// Index rows mirrored by this server in all (0 unless its store is sole-written).
    pub fn mirrored_index_rows(&self) -> usize {
        self.stats_mirror.rows()
    }

    /// The delivery and dead-letter rows of `receiver`, from two scans.
    async fn scan_index_rows(&self, receiver: &str) -> Result<IndexRows> {
        let mut rows = IndexRows::default();
        for (range, prefix) in [(Range::Pending, layout::visible_prefix(receiver)), (Range::Dead, layout::dead_prefix(receiver))] {
            self.storage
                .scan(&prefix, &mut |key: &str, value: &[u8]| {
                    let (tail, row) = index_rows::parse(range, key, value)?;
                    rows.put(tail, row);
                    Ok(())
                })
                .await?;
        }
        Ok(rows)
    }
}
