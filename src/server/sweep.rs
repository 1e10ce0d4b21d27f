//! Collecting confirmed messages once their dedupe window has closed.
//!
//! A confirm deletes a message's delivery and listing entries, and its record
//! too unless a send could still repeat it: a client's retry (its fields and
//! clientTime decide the mid) within the dedupe window after the message was
//! received. Such a record stays (see `Server::in_queue`) and is removed
//! later by this sweep, which walks the message records a page at a time from
//! where it last stopped (a cursor kept in memory; a new server starts from
//! the beginning) and checks one or two of them per call, within the
//! operation's read budget. `reenqueue` sweeps everything.

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
    /// Adds the deletion of collectable records to `batch`, using the reads
    /// left of the operation's budget (`used` so far): one list, and a get per
    /// candidate to tell a confirmed record from a pending one. Records in
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
        let mut checks = READ_BUDGET - used - 1;
        for (key, bytes) in &page {
            let Some(mid) = layout::parse_message_key(key) else { continue };
            // Most records are young or minted: the head decides that without the rest.
            let (received_at, keepable) = Record::decode_head(bytes)?;
            if skip.contains(&mid) || !keepable || !self.window_closed(now, received_at) {
                continue;
            }
            let rec = Record::decode(bytes)?;
            if locked && !mailboxes.contains(&rec.receiver.as_str()) {
                continue;
            }
            if !self.in_queue(&mid, &rec).await? {
                batch.push((key.clone(), None));
            }
            checks -= 1;
            if checks == 0 {
                // Out of reads: whatever they said, the sweep goes on after this record.
                next = Some(format!("{key}!"));
                break;
            }
        }
        Ok(next)
    }

    /// Records where the next sweep starts.
    pub(crate) fn sweep_done(&self, next: Option<String>) {
        *self.sweep_from.borrow_mut() = next;
    }

    /// True when the dedupe window of a message received at `received_at` is
    /// over at `now`: a send of the same body is a new message then.
    pub(crate) fn window_closed(&self, now: i64, received_at: i64) -> bool {
        now >= received_at.saturating_add(self.config.dedupe_window)
    }

    /// True when a confirm at `now` keeps the record of `rec`, for a send
    /// that may repeat it: its mid is the client's (not minted) and its dedupe
    /// window is still open.
    pub(crate) fn keeps_for_dedupe(&self, now: i64, rec: &Record) -> bool {
        !rec.minted && !self.window_closed(now, rec.received_at)
    }
}
