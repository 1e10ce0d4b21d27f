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
        if self.stats_mirror.warming() {
            // A warm-up is under way: reading what it has left costs no
            // more than scanning this mailbox (all of it, for a Durable
            // Object's one mailbox), and the reads are not done twice.
            while !self.warm_step(None).await? {}
            if let Some(stats) = self.stats_mirror.with(&prefix, |rows| rows.stats(now)) {
                return Ok(stats);
            }
        }
        // Read under the gate, so no write runs between the scans and `keep`.
        let keep = self.storage.sole_writer();
        let (stats, rows) = self.scan_stats(now, receiver, keep).await?;
        if let Some(rows) = rows {
            self.stats_mirror.keep(&prefix, rows);
        }
        Ok(stats)
    }

    /// One step of reading every mailbox's index rows into the stats mirror,
    /// for a server opened on existing data of a sole-written store (a
    /// Durable Object woken again): at most `limit` rows, under the gate like
    /// any operation, so a host can run the steps while it serves, and other
    /// operations wait for one step at most. Commits in between keep the rows
    /// read so far up to date; rows not read yet are read as they are then.
    /// Once a step reaches the end, `stats` reads nothing for any mailbox.
    /// Returns true when done: at once for a store found empty (mirrored from
    /// the start) and for a store others write too (nothing to keep).
    pub async fn warm_stats(&self, limit: usize) -> Result<bool> {
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        if !self.storage.sole_writer() {
            return Ok(true);
        }
        self.warm_step(Some(limit.max(1))).await
    }

    /// One warm-up step of at most `limit` rows (all that is left: `None`),
    /// under the gate the caller holds.
    async fn warm_step(&self, limit: Option<usize>) -> Result<bool> {
        let Some(step) = self.stats_mirror.warm_step() else { return Ok(true) };
        let page = self.storage.list(step.prefix, step.start.as_deref(), limit).await?;
        let finished = limit.is_none_or(|limit| page.len() < limit);
        let last = page.last().map(|(key, _)| key.clone());
        let mut rows = Vec::with_capacity(page.len());
        for (key, value) in &page {
            let (tail, row) = index_rows::parse(step.range, key, value).inspect_err(|_| self.stats_mirror.forget())?;
            let Some((head, _)) = key.rsplit_once('/') else { continue };
            rows.push((head[1..].to_string(), tail, row));
        }
        Ok(self.stats_mirror.warmed(&step, rows, last, finished))
    }

    /// Index rows mirrored by this server in all (0 unless its store is sole-written).
    pub fn mirrored_index_rows(&self) -> usize {
        self.stats_mirror.rows()
    }

    /// Counts `receiver` at `now` from two scans, and with `keep` returns the
    /// rows read, for the mirror.
    async fn scan_stats(&self, now: i64, receiver: &str, keep: bool) -> Result<(Stats, Option<IndexRows>)> {
        let mut stats = Stats::default();
        let mut kept = keep.then(Vec::new);
        for (range, prefix) in
            [(Range::Pending, layout::visible_prefix(receiver)), (Range::Dead, layout::dead_prefix(receiver))]
        {
            self.storage
                .scan(&prefix, &mut |key: &str, value: &[u8]| {
                    let (tail, row) = index_rows::parse(range, key, value)?;
                    index_rows::count(&mut stats, now, &row);
                    if let Some(kept) = kept.as_mut() {
                        kept.push((tail, row));
                    }
                    Ok(())
                })
                .await?;
        }
        Ok((stats, kept.map(IndexRows::from_rows)))
    }
}
