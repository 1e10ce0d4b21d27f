//! The stats mirror: where a server is its store's only writer, it keeps the
//! index rows of each mailbox it was asked `stats` of, so later `stats` calls
//! count from memory instead of scanning the store. A server that found its
//! store empty (before its first write) mirrors every mailbox from the start:
//! then no `stats` call scans at all. A server opened on existing data may
//! get there too, by reading every mailbox's rows in steps (`warm`, see
//! `Server::warm_stats`) between other operations.
//!
//! It is maintained generically from every batch the server commits: the
//! batch's puts and deletes under `d<mailbox>/` and `x<mailbox>/` are applied
//! to the mirrored mailboxes, with no knowledge of which operation wrote them,
//! so no operation can forget to update it. It adds no storage access at all.
//! A write that fails may or may not have landed, so a failure drops every
//! mirror: the next `stats` scans again.

use super::index_rows::{self, IndexRows, Range, Row, Tail};
use crate::layout;
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
    // A read of every mailbox's rows in steps, when one is under way.
    warming: RefCell<Option<Warming>>,
}

/// The rows of every mailbox read so far by the steps of a warm-up: all
/// index keys up to `read_through` (the delivery range `d…` sorts before the
/// dead range `x…`, so one key bounds both), kept up to date from commits
/// like a mirror; keys past it are left to later steps, which read them from
/// the store as it is then.
#[derive(Debug, Default)]
struct Warming {
    read_through: Option<String>,
    rows: HashMap<String, IndexRows>,
}

/// Where the next warm-up step reads: the range, its prefix, and the key to start from.
pub(super) struct WarmStep {
    pub range: Range,
    pub prefix: &'static str,
    pub start: Option<String>,
}

/// Past every delivery key and before every dead-letter key.
const DEAD_START: &str = "x";

/// What a committed batch does to one mirrored row.
pub(super) struct Change {
    mailbox: String,
    what: What,
    // For the warm-up's rows, not a mirrored mailbox's.
    warming: bool,
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
        let warming = self.warming.borrow();
        let read_through = warming.as_ref().and_then(|w| w.read_through.as_deref());
        if mailboxes.is_empty() && !everything && read_through.is_none() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (key, value) in batch {
            let Some(range) = key.bytes().next().and_then(Range::of_kind) else { continue };
            let Some((head, _)) = key.rsplit_once('/') else { continue };
            let mailbox = &head[1..];
            let mirrored = everything || mailboxes.contains_key(mailbox);
            let warmed = !mirrored && read_through.is_some_and(|through| key.as_str() <= through);
            if !mirrored && !warmed {
                continue;
            }
            let what = match value {
                Some(v) => {
                    index_rows::parse(range, key, v).map_or(What::Unreadable, |(tail, row)| What::Put(tail, row))
                }
                None => index_rows::tail_of(key).map_or(What::Unreadable, |tail| What::Delete(range, tail)),
            };
            out.push(Change { mailbox: mailbox.to_string(), what, warming: warmed });
        }
        out
    }

    /// Applies the changes of a batch that was written.
    pub(super) fn apply(&self, changes: Vec<Change>) {
        let mut mailboxes = self.mailboxes.borrow_mut();
        for c in changes {
            if c.warming {
                self.apply_warming(c);
                continue;
            }
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

    fn apply_warming(&self, c: Change) {
        let mut warming = self.warming.borrow_mut();
        let Some(w) = warming.as_mut() else { return };
        let rows = w.rows.entry(c.mailbox).or_default();
        match c.what {
            What::Put(tail, row) => rows.put(tail, row),
            What::Delete(range, tail) => rows.remove(range, &tail),
            // The warm-up gives up; `stats` scans that mailbox and reports it.
            What::Unreadable => *warming = None,
        }
    }

    /// True while a warm-up is under way.
    pub(super) fn warming(&self) -> bool {
        self.warming.borrow().is_some()
    }

    /// Where the next warm-up step reads, starting a warm-up if none runs;
    /// `None` when every mailbox is mirrored already.
    pub(super) fn warm_step(&self) -> Option<WarmStep> {
        if self.everything.get() {
            return None;
        }
        let mut warming = self.warming.borrow_mut();
        let through = warming.get_or_insert_with(Warming::default).read_through.clone();
        Some(match through {
            None => WarmStep { range: Range::Pending, prefix: layout::ALL_VISIBLE, start: None },
            Some(key) if key.as_str() < DEAD_START => {
                WarmStep { range: Range::Pending, prefix: layout::ALL_VISIBLE, start: Some(layout::after(&key)) }
            }
            Some(key) if key == DEAD_START => WarmStep { range: Range::Dead, prefix: DEAD_START, start: None },
            Some(key) => WarmStep { range: Range::Dead, prefix: DEAD_START, start: Some(layout::after(&key)) },
        })
    }

    /// Adds the rows a warm-up step read, `(mailbox, tail, row)` with the
    /// last key read; `finished` when the step read the end of its range. At
    /// the end of the dead range every mailbox is mirrored: the rows of each
    /// one not mirrored already (whose mirror is at least as current) become
    /// its mirror. Returns true when the warm-up is done.
    pub(super) fn warmed(
        &self,
        step: &WarmStep,
        rows: Vec<(String, Tail, Row)>,
        last: Option<String>,
        finished: bool,
    ) -> bool {
        let mut warming = self.warming.borrow_mut();
        let Some(w) = warming.as_mut() else { return false };
        for (mailbox, tail, row) in rows {
            w.rows.entry(mailbox).or_default().put(tail, row);
        }
        if let Some(last) = last {
            w.read_through = Some(last);
        }
        if !finished {
            return false;
        }
        if step.range == Range::Pending {
            w.read_through = Some(DEAD_START.to_string());
            return false;
        }
        let Some(done) = warming.take() else { return false };
        let mut mailboxes = self.mailboxes.borrow_mut();
        for (mailbox, rows) in done.rows {
            if rows.len() > 0 && !mailboxes.contains_key(&mailbox) {
                mailboxes.insert(mailbox, rows);
            }
        }
        mailboxes.retain(|_, rows| rows.len() > 0);
        self.everything.set(true);
        true
    }

    /// Forgets every mirror: after a write whose outcome is unknown.
    pub(super) fn forget(&self) {
        self.mailboxes.borrow_mut().clear();
        self.everything.set(false);
        *self.warming.borrow_mut() = None;
    }

    /// Rows mirrored in all, for tests and memory figures.
    pub(super) fn rows(&self) -> usize {
        self.mailboxes.borrow().values().map(IndexRows::len).sum()
    }
}
