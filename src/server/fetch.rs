//! `fetch_latest` and `fetch_batch`: lease the mailbox's earliest due messages.

use super::Server;
use crate::config::{check_lease, check_mailbox, MAX_BATCH};
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout::{self, Entry};
use crate::message::Message;
use crate::random::Random;
use crate::storage::{Batch, Storage};

impl<S: Storage, R: Random> Server<S, R> {
    /// Leases the due message of `receiver` with the earliest due time for `lease` ms
    /// (`None`: the default lease). `Ok(None)` when nothing is due, including for a
    /// mailbox that never received anything.
    ///
    /// The delivery index is ordered by "visible at" (due time, lease end or retry
    /// time), so the answer is its first entry: one ordered read, O(log n) at any
    /// depth, and an expired lease is found without any sweep. A first entry that
    /// may not be delivered (expired, or dead at its delivery limit) is retired
    /// in the same write, and the second one is tried: three reads at most.
    pub async fn fetch_latest(&self, now: i64, receiver: &str, lease: Option<i64>) -> Result<Option<Message>> {
        check_mailbox("receiver", receiver)?;
        let lease = lease.unwrap_or(self.config.default_lease);
        check_lease(lease)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        Ok(self.lease_many(now, receiver, lease, 1, 2).await?.pop())
    }

    /// Leases up to `max` (1 … 100) due messages of `receiver`, earliest due
    /// first, each with its own lid, in one write. `[]` when none is due.
    pub async fn fetch_batch(&self, now: i64, receiver: &str, max: usize, lease: Option<i64>) -> Result<Vec<Message>> {
        check_mailbox("receiver", receiver)?;
        let lease = lease.unwrap_or(self.config.default_lease);
        check_lease(lease)?;
        check_count("max", max)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        self.lease_many(now, receiver, lease, max, max).await
    }

    /// Leases up to `max` of the first `look` delivery entries that are due.
    async fn lease_many(&self, now: i64, receiver: &str, lease: i64, max: usize, look: usize) -> Result<Vec<Message>> {
        let mut out = Vec::new();
        let mut batch = Batch::new();
        for (visible_at, mid, entry) in self.due_entries(now, receiver, look).await? {
            if out.len() == max {
                // The next fetch of this mailbox will read this record first.
                self.storage.prefetch(&layout::message(&mid));
                break;
            }
            let rec = self.load_pending(&mid, visible_at, &entry).await?;
            if let Some(message) = self.lease_due(now, mid, rec, lease, &mut batch)? {
                out.push(message);
            }
        }
        if !batch.is_empty() {
            self.commit(batch).await?;
        }
        Ok(out)
    }

    /// The first `limit` delivery entries of `receiver` that are due at `now`.
    pub(crate) async fn due_entries(&self, now: i64, receiver: &str, limit: usize) -> Result<Vec<(i64, Key, Entry)>> {
        let prefix = layout::visible_prefix(receiver);
        let mut out = Vec::new();
        for (key, value) in self.storage.list(&prefix, None, Some(limit)).await? {
            let corrupt = || Error::Corrupt(format!("delivery entry {key:?}"));
            let (at, mid) = layout::parse_index_key(&key).ok_or_else(corrupt)?;
            if at > now {
                break;
            }
            out.push((at, mid, Entry::decode(&value).ok_or_else(corrupt)?));
        }
        Ok(out)
    }

    /// When the next message of `receiver` becomes due (it may be due already),
    /// or `None` when the mailbox has nothing pending: a host that found
    /// nothing to fetch sleeps until then, or until a send to the mailbox.
    pub async fn next_due(&self, receiver: &str) -> Result<Option<i64>> {
        check_mailbox("receiver", receiver)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let prefix = layout::visible_prefix(receiver);
        match self.storage.list(&prefix, None, Some(1)).await?.pop() {
            Some((key, _)) => {
                Ok(Some(layout::parse_index_key(&key).ok_or_else(|| Error::Corrupt(format!("index key {key:?}")))?.0))
            }
            None => Ok(None),
        }
    }
}

/// A batch size must be 1 … 100.
pub(crate) fn check_count(what: &str, n: usize) -> Result<()> {
    if (1..=MAX_BATCH).contains(&n) {
        Ok(())
    } else {
        Err(Error::OutOfRange(format!("{what} must be between 1 and {MAX_BATCH}, got {n}")))
    }
}
