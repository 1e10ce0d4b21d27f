//! `stats`: exact counts of a mailbox, read from its indexes alone.

use super::Server;
use crate::config::check_mailbox;
use crate::error::{Error, Result};
use crate::layout::{self, Entry};
use crate::message::Stats;
use crate::random::Random;
use crate::storage::Storage;

impl<S: Storage, R: Random> Server<S, R> {
    /// Counts of `receiver` at `now`. Every message in the queue has one
    /// delivery entry (or, dead, one dead-letter entry) whose key holds when it
    /// is next due and whose value says whether that is a lease's end and how
    /// big its body is, so two scans answer exactly, with no record read and
    /// nothing added to what send, fetch or ack write (the built-in store walks
    /// its entries in place: 100k messages in a few ms).
    ///
    /// A message past its ttl counts as what its entry says until an
    /// operation meets it (fetch, peek, reenqueue) and drops it.
    pub async fn stats(&self, now: i64, receiver: &str) -> Result<Stats> {
        check_mailbox("receiver", receiver)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let mut stats = Stats::default();
        let pending = &mut |key: &str, value: &[u8]| -> Result<()> {
            let at = layout::parse_index_time(key).ok_or_else(|| Error::Corrupt(format!("index key {key:?}")))?;
            let entry = entry(key, value)?;
            stats.bytes += entry.body_len as u64;
            if at <= now {
                stats.ready += 1;
                stats.oldest_ready.get_or_insert(at);
            } else if entry.leased && now < at - entry.wait as i64 {
                // The lease ends at `at - 1 - wait`, inclusive.
                stats.leased += 1;
            } else {
                stats.delayed += 1;
            }
            Ok(())
        };
        self.storage.scan(&layout::visible_prefix(receiver), pending).await?;
        let dead = &mut |key: &str, value: &[u8]| -> Result<()> {
            stats.dead += 1;
            stats.bytes += entry(key, value)?.body_len as u64;
            Ok(())
        };
        self.storage.scan(&layout::dead_prefix(receiver), dead).await?;
        Ok(stats)
    }
}

fn entry(key: &str, value: &[u8]) -> Result<Entry> {
    Entry::decode(value).ok_or_else(|| Error::Corrupt(format!("index entry {key:?}")))
}
