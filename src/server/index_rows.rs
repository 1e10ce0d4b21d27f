//! One mailbox's delivery and dead-letter index rows, parsed: all `stats` counts.
//!
//! `stats` always counts from an [`IndexRows`]: one built by scanning the
//! mailbox's `d<mailbox>/` and `x<mailbox>/` ranges, or the one a sole-writer
//! server keeps up to date from its own writes (see `stats_mirror.rs`). One
//! counting function for both, so the two cannot disagree.

use crate::error::{Error, Result};
use crate::layout::{self, Entry, MID_DIGITS, TIME_DIGITS};
use crate::message::Stats;
use std::collections::BTreeMap;

/// The part of an index key after `<kind><mailbox>/`: `<time><mid>`, ASCII.
/// Held inline, so a row costs no allocation of its own.
pub(super) type Tail = [u8; TIME_DIGITS + MID_DIGITS];

/// Which of the two ranges a row is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Range {
    /// `d<mailbox>/<visibleAt><mid>`: a message in the queue.
    Pending,
    /// `x<mailbox>/<receivedAt><mid>`: a dead letter.
    Dead,
}

impl Range {
    /// The range a key's first byte names, if it is one of the two.
    pub(super) fn of_kind(kind: u8) -> Option<Range> {
        match kind {
            b'd' => Some(Range::Pending),
            b'x' => Some(Range::Dead),
            _ => None,
        }
    }
}

/// A pending row: when it is next due, and what of its entry `stats` counts.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pending {
    at: i64,
    leased: bool,
    body_len: u32,
    /// ms from one past the lease's end to `at` (leases only).
    wait: u64,
}

/// A parsed row, ready to be put into an [`IndexRows`].
#[derive(Clone, Copy, Debug)]
pub(super) enum Row {
    Pending(Pending),
    Dead { body_len: u32 },
}

/// The parsed rows of one mailbox, by range and key tail. An ordered map: no
/// hashing of keys senders influence; one map for both ranges, so the wasm
/// holds one copy of its code.
#[derive(Debug, Default)]
pub(super) struct IndexRows {
    rows: BTreeMap<(Range, Tail), Row>,
}

/// The tail of `key` (after its last `/`), if it has the fixed length of one.
pub(super) fn tail_of(key: &str) -> Option<Tail> {
    let (_, tail) = key.rsplit_once('/')?;
    tail.as_bytes().try_into().ok()
}

/// Parses one stored row of `range`.
pub(super) fn parse(range: Range, key: &str, value: &[u8]) -> Result<(Tail, Row)> {
    let corrupt = || Error::Corrupt(format!("index entry {key:?}"));
    let tail = tail_of(key).ok_or_else(corrupt)?;
    let entry = Entry::decode(value).ok_or_else(corrupt)?;
    let row = match range {
        Range::Pending => {
            let at = layout::parse_index_time(key).ok_or_else(corrupt)?;
            Row::Pending(Pending { at, leased: entry.leased, body_len: entry.body_len, wait: entry.wait })
        }
        Range::Dead => Row::Dead { body_len: entry.body_len },
    };
    Ok((tail, row))
}

impl IndexRows {
    /// Stores (or replaces) a row.
    pub(super) fn put(&mut self, tail: Tail, row: Row) {
        let range = match row {
            Row::Pending(_) => Range::Pending,
            Row::Dead { .. } => Range::Dead,
        };
        self.rows.insert((range, tail), row);
    }

    /// Removes a row, if present.
    pub(super) fn remove(&mut self, range: Range, tail: &Tail) {
        self.rows.remove(&(range, *tail));
    }

    /// Number of rows held.
    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    /// Rows read by a scan, each once and ascending within its range. Put one
    /// by one: collecting into the maps would sort first, and the sort code
    /// costs the wasm more than the inserts cost time.
    pub(super) fn from_rows(rows: Vec<(Tail, Row)>) -> IndexRows {
        let mut out = IndexRows::default();
        for (tail, row) in rows {
            out.put(tail, row);
        }
        out
    }

    /// The mailbox's counts at `now`.
    pub(super) fn stats(&self, now: i64) -> Stats {
        let mut stats = Stats::default();
        for row in self.rows.values() {
            count(&mut stats, now, row);
        }
        stats
    }
}

/// Adds one row to `stats` at `now`: the one definition of the counts, for
/// a scan and a mirror alike. A pending row is ready when due; else leased
/// while its lease runs (it ends at `at - 1 - wait`, inclusive); else
/// delayed. The order rows come in does not matter.
pub(super) fn count(stats: &mut Stats, now: i64, row: &Row) {
    match *row {
        Row::Pending(Pending { at, leased, body_len, wait }) => {
            stats.bytes += body_len as u64;
            if at <= now {
                stats.ready += 1;
                stats.oldest_ready = Some(stats.oldest_ready.map_or(at, |t: i64| t.min(at)));
            } else if leased && now < at - wait as i64 {
                stats.leased += 1;
            } else {
                stats.delayed += 1;
            }
        }
        Row::Dead { body_len } => {
            stats.dead += 1;
            stats.bytes += body_len as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memory figure the docs give: a row is at most 80 bytes of key and
    /// value inline in a B-tree node (11 per node): 100k rows ≈ 8–9 MB, up to
    /// about twice that once random writes have split nodes.
    #[test]
    fn a_row_fits_in_80_bytes() {
        assert!(std::mem::size_of::<((Range, Tail), Row)>() <= 80);
    }
}
