//! The stats mirror: where a server is its store's only writer, it keeps the
//! index rows of each mailbox it was asked `stats` of, so later `stats` calls
//! count from memory instead of scanning the store. A server that found its
//! store empty (before its first write) mirrors every mailbox from the start:
//! then no `stats` call scans at all.
//!
//! It is maintained generically from every batch the server commits: the
//! batch's puts and deletes under `d<mailbox>/` and `x<mailbox>/` are applied
//! to the mirrored mailboxes, with no knowledge of which operation wrote them,
//! so no operation can forget to update it. It adds no storage access at all.
//! A write that fails may or may not have landed, so a failure drops every
//! mirror: the next `stats` scans again.

use super::index_rows::{self, IndexRows, Range, Row, Tail};
use crate::storage::Batch;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// Mirrored mailboxes, by their escaped name (the key text between the kind
/// letter and the `/`).
#[derive(Debug, Default)]
pub(super) struct StatsMirror {
    mailboxes: RefCell<HashMap<String, IndexRows>>,
    // Every mailbox is mirrored: one absent from `mailboxes` has no rows.
    everything: Cell<bool>,
}

/// What a committed batch does to one mirrored row.
pub(super) struct Change {
    mailbox: String,
    what: What,
}

enum What {
    Put(Tail, Row),
    Delete(Range, Tail),
    // A row the mirror cannot parse: its mailbox stops being mirrored, and the
    // next scan reports the corruption.
    Unreadable,
}

/// The escaped name in a mailbox's index prefix (`d<name>/` or `x<name>/`).
fn escaped(prefix: &str) -> &str {
    &prefix[1..prefix.len() - 1]
}

impl StatsMirror {
    /// Runs `f` on the mirror of the mailbox whose delivery prefix is `prefix`, if kept.
    pub(super) fn with<T>(&self, prefix: &str, f: impl FnOnce(&IndexRows) -> T) -> Option<T> {
        match self.mailboxes.borrow().get(escaped(prefix)) {
            Some(rows) => Some(f(rows)),
            None if self.everything.get() => Some(f(&IndexRows::default())),
            None => None,
        }
    }

    /// Mirrors every mailbox from now on: the store holds nothing yet, and
    /// every row it will hold comes through this server's commits.
    pub(super) fn mirror_everything(&self) {
        self.mailboxes.borrow_mut().clear();
        self.everything.set(true);
    }

    /// Starts mirroring the mailbox of delivery prefix `prefix` from `rows`,
    /// read while no write could run.
    pub(super) fn keep(&self, prefix: &str, rows: IndexRows) {
        self.mailboxes.borrow_mut().insert(escaped(prefix).to_string(), rows);
    }

    /// The changes `batch` makes to mirrored mailboxes, in batch order; taken
    /// before the write, applied after it succeeds. Nothing when no mailbox is mirrored.
    pub(super) fn changes(&self, batch: &Batch) -> Vec<Change> {
        let mailboxes = self.mailboxes.borrow();
        let everything = self.everything.get();
        if mailboxes.is_empty() && !everything {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (key, value) in batch {
            let Some(range) = key.bytes().next().and_then(Range::of_kind) else { continue };
            let Some((head, _)) = key.rsplit_once('/') else { continue };
            let mailbox = &head[1..];
            if !everything && !mailboxes.contains_key(mailbox) {
                continue;
            }
            let what = match value {
                Some(v) => index_rows::parse(range, key, v).map_or(What::Unreadable, |(tail, row)| What::Put(tail, row)),
                None => index_rows::tail_of(key).map_or(What::Unreadable, |tail| What::Delete(range, tail)),
            };
            out.push(Change { mailbox: mailbox.to_string(), what });
        }
        out
    }

    /// Applies the changes of a batch that was written.
    pub(super) fn apply(&self, changes: Vec<Change>) {
        let mut mailboxes = self.mailboxes.borrow_mut();
        for c in changes {
            if let What::Unreadable = c.what {
                // Its rows can no longer be told: only a scan may answer for it.
                mailboxes.remove(&c.mailbox);
                self.everything.set(false);
                continue;
            }
            if self.everything.get() && !mailboxes.contains_key(&c.mailbox) {
                mailboxes.insert(c.mailbox.clone(), IndexRows::default());
            }
            let Some(rows) = mailboxes.get_mut(&c.mailbox) else { continue };
            match c.what {
                What::Put(tail, row) => rows.put(tail, row),
                What::Delete(range, tail) => rows.remove(range, &tail),
                What::Unreadable => {}
            }
            // Mirroring everything, an emptied mailbox is as good as absent.
            if self.everything.get() && rows.len() == 0 {
                mailboxes.remove(&c.mailbox);
            }
        }
    }

    /// Forgets every mirror: after a write whose outcome is unknown.
    pub(super) fn forget(&self) {
        self.mailboxes.borrow_mut().clear();
        self.everything.set(false);
    }

    /// Rows mirrored in all, for tests and memory figures.
    pub(super) fn rows(&self) -> usize {
        self.mailboxes.borrow().values().map(IndexRows::len).sum()
    }
}
