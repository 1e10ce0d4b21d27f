//! Collecting confirmed messages once their dedupe window has closed.
//!
//! A confirm deletes a message's delivery and listing entries but leaves its
//! record (see `Server::in_queue`): that keeps a confirm to two deletes. The
//! record is removed later by this sweep, which walks the message records a
//! page at a time from where it last stopped (a cursor kept in memory; a new
//! server starts from the beginning) and removes at most one record per call,
//! within the operation's read budget. `reenqueue` sweeps everything.

use super::Server;
use crate::error::Result;
use crate::key::Key;
use crate::layout;
use crate::random::Random;
use crate::record::Record;
use crate::storage::{Batch, Storage};

/// Reads (gets and lists) one operation may make in all.
pub(crate) const READ_BUDGET: usize = 3;
/// Records looked at per sweep step.
const PAGE: usize = 4;

impl<S: Storage, R: Random> Server<S, R> {
    /// Adds the deletion of at most one collectable record to `batch`, using the
    /// reads left of the operation's budget (`used` so far): one list, and one
    /// get to tell a confirmed record from a timed-out pending one. Records in
    /// `skip` are the operation's own and never collected by it. Returns where
    /// the next sweep starts: the caller keeps it with [`Server::sweep_done`]
    /// once its batch is written, so a failed write repeats the step.
    ///
    /// Where the store locks per mailbox ([`Storage::mailbox_locks`]), only
    /// records of `mailboxes` (those the operation is locked for) are
    /// collected: another mailbox's record may be rewritten meanwhile by an
    /// operation holding that mailbox's lock (a send of the same body), and
    /// deleting it would lose that message. Others wait for an operation of
    /// their own mailbox, or `reenqueue`.
    pub(crate) async fn sweep(
        &self,
        now: i64,
        used: usize,
        batch: &mut Batch,
        skip: &[Key],
        mailboxes: &[&str],
    ) -> Result<Option<String>> {
        let locked = self.storage.mailbox_locks();
        if used + 2 > READ_BUDGET {
            return Ok(self.sweep_from.borrow().clone());
        }
        let from = self.sweep_from.borrow().clone();
        let page = self.storage.list(layout::MESSAGES, from.as_deref(), Some(PAGE)).await?;
        let mut next = if page.len() < PAGE { None } else { page.last().map(|(k, _)| format!("{k}!")) };
        for (key, bytes) in &page {
            let Some(mid) = layout::parse_message_key(key) else { continue };
            // Most records are pending: their lease decides that without decoding the rest.
            let (leased, leased_until) = Record::decode_lease(bytes)?;
            if skip.contains(&mid) || !self.collectable_candidate(now, leased, leased_until) {
                continue;
            }
            let rec = Record::decode(bytes)?;
            if locked && !mailboxes.contains(&rec.receiver.as_str()) {
                continue;
            }
            // The one get of this step: whatever it says, the sweep goes on after this record.
            next = Some(format!("{key}!"));
            if !self.in_queue(&mid, &rec).await? {
                batch.push((key.clone(), None));
            }
            break;
        }
        Ok(next)
    }

    /// Records where the next sweep starts.
    pub(crate) fn sweep_done(&self, next: Option<String>) {
        *self.sweep_from.borrow_mut() = next;
    }

    /// True when a record may be a confirmed message whose window has closed:
    /// it was leased (`leased`: it holds a lid), and its lease plus the dedupe
    /// window is over. Only the absence of its delivery entry makes it certain.
    pub(crate) fn collectable_candidate(&self, now: i64, leased: bool, leased_until: i64) -> bool {
        leased && now >= leased_until.saturating_add(self.config.dedupe_window)
    }
}
