//! An ordered map of byte keys to byte values, packed into blocks of up to
//! 2 KiB: the built-in store's memory.
//!
//! A tree with one allocation per entry pays a pointer, a share of a tree node
//! and an allocation header for every entry (about 45 bytes, for rows whose
//! key and value are often 60): a queue of a million messages holds three
//! million of them. Here each block is one allocation holding its entries
//! back to back in key order, and an ordered map finds the block of a key. A
//! lookup is a search of that map plus a pass over one block, so it stays
//! O(log n) at any size.
//!
//! Keys are front-coded: an entry is `[shared][suffix length][value
//! length][suffix][value]` (numbers in LEB128), its key the first `shared`
//! bytes of the previous entry's key followed by `suffix`; the first entry of
//! a block shares nothing. Neighbouring keys of an index differ only in their
//! last bytes (`d<mailbox>/<time><mid>`), so most of each key is stored once
//! per block, and a pass compares only the bytes where keys differ.

use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Included, Unbounded};

/// A block that grows past this many bytes splits in two. Larger blocks mean
/// fewer blocks (less memory per entry) and longer passes per lookup.
const SPLIT_AT: usize = 2048;
/// A block left smaller than this by a delete joins its next neighbour when both fit in one.
const JOIN_BELOW: usize = SPLIT_AT / 4;
/// The capacity of a block holding `n` bytes: the next of eight sizes per
/// power of two (at least 256 bytes). Blocks come in few sizes, so the space a
/// grown block freed fits the next block growing into that size (an exact fit
/// per insert would leave the heap full of holes one entry too small), and a
/// block holds at most an eighth of unused room.
fn capacity_for(n: usize) -> usize {
    let step = (n.next_power_of_two() / 16).max(32);
    n.max(256).div_ceil(step) * step
}

/// Sorted, disjoint blocks. Each is filed under a bound that is at most its
/// first key and greater than every key of the block before it, so a key
/// belongs in the last block whose bound is not above it (or in the first).
/// A delete may leave a bound below its block's first key: it stays valid.
#[derive(Debug, Default)]
pub struct Blocks {
    /// Block bounds to blocks.
    map: BTreeMap<Box<[u8]>, Vec<u8>>,
    entries: usize,
}

/// One entry of a block, as stored.
struct Raw<'a> {
    start: usize,
    /// Where the suffix starts (after the three lengths).
    suffix_at: usize,
    end: usize,
    /// Bytes the key shares with the previous entry's key.
    shared: usize,
    suffix: &'a [u8],
    value: &'a [u8],
}

/// Where a key absent from a block would go: before the entry at `at` (or at
/// the end), sharing `shared` bytes with the entry before it, while the entry
/// at `at` would share `next_gains` more bytes with it than with its old neighbour.
struct Gap {
    at: usize,
    shared: usize,
    next_gains: usize,
}

impl Blocks {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// The value stored under `key`.
    pub fn get(&self, key: &[u8]) -> Option<&[u8]> {
        let (_, block) = self.map.range::<[u8], _>((Unbounded, Included(key))).next_back()?;
        find(block, key).ok().map(|raw| raw.value)
    }

    /// Calls `f` with each entry from the first key at or after `from`, in
    /// order, until it returns false.
    pub fn walk(&self, from: &[u8], mut f: impl FnMut(&[u8], &[u8]) -> bool) {
        let start = match self.map.range::<[u8], _>((Unbounded, Included(from))).next_back() {
            Some((bound, _)) => Included(&**bound),
            None => Unbounded,
        };
        let mut key = Vec::new();
        for (_, block) in self.map.range::<[u8], _>((start, Unbounded)) {
            let mut at = 0;
            while at < block.len() {
                let raw = read_raw(block, at);
                key.truncate(raw.shared);
                key.extend_from_slice(raw.suffix);
                if key.as_slice() >= from && !f(&key, raw.value) {
                    return;
                }
                at = raw.end;
            }
        }
    }

    /// Stores `value` under `key`, replacing what was there.
    pub fn put(&mut self, key: &[u8], value: &[u8]) {
        if self.map.range::<[u8], _>((Unbounded, Included(key))).next_back().is_none() {
            // Below every bound (or the first entry of all): the first block takes
            // it, filed under the new lowest key.
            let first = self.map.pop_first().map(|(_, block)| block).unwrap_or_default();
            self.map.insert(key.into(), first);
        }
        let (_, block) = self.map.range_mut::<[u8], _>((Unbounded, Included(key))).next_back().expect("filed above");
        match find(block, key) {
            Ok(raw) => {
                let (shared, range) = (raw.shared, raw.start..raw.end);
                let (head, n) = head(shared, key.len() - shared, value.len());
                replace(block, range, &[&head[..n], &key[shared..], value]);
            }
            Err(gap) => {
                if gap.next_gains > 0 {
                    // The next entry now follows this key: it stores fewer bytes of its own.
                    let next = read_raw(block, gap.at);
                    let (head, n) =
                        head(next.shared + gap.next_gains, next.suffix.len() - gap.next_gains, next.value.len());
                    replace(block, gap.at..next.suffix_at + gap.next_gains, &[&head[..n]]);
                }
                let (head, n) = head(gap.shared, key.len() - gap.shared, value.len());
                replace(block, gap.at..gap.at, &[&head[..n], &key[gap.shared..], value]);
                self.entries += 1;
            }
        }
        if block.len() > SPLIT_AT {
            if let Some((bound, right)) = split(block) {
                self.map.insert(bound, right);
            }
        }
    }

    /// Removes what is stored under `key`, if anything.
    pub fn delete(&mut self, key: &[u8]) {
        let Some((bound, block)) = self.map.range_mut::<[u8], _>((Unbounded, Included(key))).next_back() else {
            return;
        };
        let Ok(raw) = find(block, key) else { return };
        let (start, end, shared) = (raw.start, raw.end, raw.shared);
        if end < block.len() {
            // The next entry shared its first bytes with this key: it takes
            // those it no longer finds in the entry before.
            let next = read_raw(block, end);
            let keeps = shared.min(next.shared);
            let (head, n) = head(keeps, next.suffix.len() + next.shared - keeps, next.value.len());
            let taken = key[keeps..next.shared].to_vec();
            replace(block, start..next.suffix_at, &[&head[..n], &taken]);
        } else {
            replace(block, start..end, &[]);
        }
        self.entries -= 1;
        if block.len() >= JOIN_BELOW {
            return;
        }
        let (bound, len) = (bound.clone(), block.len());
        if len == 0 {
            self.map.remove(&bound);
            return;
        }
        // A small block joins the next one when both fit in one.
        let next = self.map.range::<[u8], _>((Excluded(&*bound), Unbounded)).next();
        let Some(next_bound) = next.filter(|(_, b)| len + b.len() <= SPLIT_AT).map(|(k, _)| k.clone()) else {
            return;
        };
        let next = self.map.remove(&next_bound).expect("found above");
        let block = self.map.get_mut(&bound).expect("found above");
        let last = last_key(block);
        // The next block's first entry holds its whole key: it now follows `last`.
        let first = read_raw(&next, 0);
        let shared = common_prefix(&last, first.suffix);
        let (head, n) = head(shared, first.suffix.len() - shared, first.value.len());
        block.reserve_exact(capacity_for(len + next.len()) - len);
        block.extend_from_slice(&head[..n]);
        block.extend_from_slice(&first.suffix[shared..]);
        block.extend_from_slice(&next[first.suffix_at + first.suffix.len()..]);
    }
}

/// Finds `key` in `block`: its entry, or where it would go.
///
/// `matched` is how many bytes `key` shares with the previous entry's key,
/// which sorts below it; an entry sharing fewer bytes with that key than
/// `matched` leaves it upwards where `key` still follows it, so it sorts above
/// `key`; one sharing more sorts below `key` as the previous did. Only an
/// entry sharing exactly `matched` bytes needs its suffix compared.
fn find<'a>(block: &'a [u8], key: &[u8]) -> Result<Raw<'a>, Gap> {
    let mut matched = 0;
    let mut at = 0;
    while at < block.len() {
        let raw = read_raw(block, at);
        if raw.shared < matched {
            return Err(Gap { at, shared: matched, next_gains: 0 });
        }
        if raw.shared == matched {
            let rest = &key[matched..];
            let common = common_prefix(raw.suffix, rest);
            match (raw.suffix.get(common), rest.get(common)) {
                (None, None) => return Ok(raw),
                (Some(_), None) => return Err(Gap { at, shared: matched, next_gains: common }),
                (Some(theirs), Some(ours)) if theirs > ours => {
                    return Err(Gap { at, shared: matched, next_gains: common })
                }
                _ => matched += common,
            }
        }
        at = raw.end;
    }
    Err(Gap { at, shared: matched, next_gains: 0 })
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The key of the last entry of a non-empty block.
fn last_key(block: &[u8]) -> Vec<u8> {
    let mut key = Vec::new();
    let mut at = 0;
    while at < block.len() {
        let raw = read_raw(block, at);
        key.truncate(raw.shared);
        key.extend_from_slice(raw.suffix);
        at = raw.end;
    }
    key
}

/// The three lengths that start an entry, and how many bytes they take.
fn head(shared: usize, suffix_len: usize, value_len: usize) -> ([u8; 30], usize) {
    let mut out = [0u8; 30];
    let mut n = write_leb(&mut out, shared);
    n += write_leb(&mut out[n..], suffix_len);
    n += write_leb(&mut out[n..], value_len);
    (out, n)
}

/// Replaces `block[range]` with `parts`, growing the block to the next
/// capacity size when it must and handing back room a delete left unused.
fn replace(block: &mut Vec<u8>, range: std::ops::Range<usize>, parts: &[&[u8]]) {
    let add: usize = parts.iter().map(|p| p.len()).sum();
    let len = block.len();
    let tail = range.end;
    if add >= range.len() {
        let grow = add - range.len();
        if len + grow > block.capacity() {
            block.reserve_exact(capacity_for(len + grow) - len);
        }
        block.resize(len + grow, 0);
        block.copy_within(tail..len, tail + grow);
    } else {
        let shrink = range.len() - add;
        block.copy_within(tail..len, tail - shrink);
        block.truncate(len - shrink);
        // Room handed back only past a second size, so a block shrinking and
        // growing by one entry does not move each time.
        if block.capacity() > capacity_for(block.len() + block.len() / 8) {
            block.shrink_to(capacity_for(block.len()));
        }
    }
    let mut at = range.start;
    for part in parts {
        block[at..at + part.len()].copy_from_slice(part);
        at += part.len();
    }
}

/// Cuts `block` at the first entry boundary past its middle and returns the
/// upper part with its bound (its first key, which it now stores whole);
/// `None` for a block of one entry (a large value), which stays whole.
fn split(block: &mut Vec<u8>) -> Option<(Box<[u8]>, Vec<u8>)> {
    let half = block.len() / 2;
    let mut key = Vec::new();
    let mut at = 0;
    let mut cut = None;
    while at < block.len() {
        let raw = read_raw(block, at);
        key.truncate(raw.shared);
        key.extend_from_slice(raw.suffix);
        if at > 0 && (at >= half || raw.end == block.len()) {
            cut = Some(raw);
            break;
        }
        at = raw.end;
    }
    let first = cut?;
    let (head, n) = head(0, key.len(), first.value.len());
    let rest = first.suffix_at + first.suffix.len();
    let mut right = Vec::with_capacity(capacity_for(n + key.len() + block.len() - rest));
    right.extend_from_slice(&head[..n]);
    right.extend_from_slice(&key);
    right.extend_from_slice(&block[rest..]);
    let cut_at = first.start;
    block.truncate(cut_at);
    block.shrink_to(capacity_for(cut_at));
    Some((key.into_boxed_slice(), right))
}

#[inline]
fn read_raw(block: &[u8], start: usize) -> Raw<'_> {
    let (shared, at) = read_leb(block, start);
    let (suffix_len, at) = read_leb(block, at);
    let (value_len, suffix_at) = read_leb(block, at);
    let suffix = &block[suffix_at..suffix_at + suffix_len];
    let end = suffix_at + suffix_len + value_len;
    Raw { start, suffix_at, end, shared, suffix, value: &block[suffix_at + suffix_len..end] }
}

#[inline]
fn read_leb(bytes: &[u8], mut at: usize) -> (usize, usize) {
    let mut n = 0usize;
    let mut shift = 0;
    loop {
        let byte = bytes[at];
        at += 1;
        n |= ((byte & 0x7f) as usize) << shift;
        if byte < 0x80 {
            return (n, at);
        }
        shift += 7;
    }
}

/// Writes `n` in LEB128 at the start of `out`; returns the bytes written.
fn write_leb(out: &mut [u8], mut n: usize) -> usize {
    let mut i = 0;
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out[i] = byte;
            return i + 1;
        }
        out[i] = byte | 0x80;
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so a failure replays.
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self, below: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % below
        }
    }

    fn check(blocks: &Blocks, model: &BTreeMap<Vec<u8>, Vec<u8>>, rng: &mut XorShift) {
        assert_eq!(blocks.len(), model.len());
        let mut walked = Vec::new();
        blocks.walk(b"", |k, v| {
            walked.push((k.to_vec(), v.to_vec()));
            true
        });
        assert_eq!(walked, model.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>());
        for (bound, block) in &blocks.map {
            assert!(!block.is_empty(), "no empty block is kept");
            let first = read_raw(block, 0);
            assert_eq!(first.shared, 0, "a block's first entry holds its whole key");
            assert!(first.suffix >= &**bound, "a bound is at most its block's first key");
        }
        // Walks from any point start at the first key not below it.
        let from = key(rng);
        let mut first = None;
        blocks.walk(&from, |k, _| {
            first = Some(k.to_vec());
            false
        });
        assert_eq!(first, model.range(from.clone()..).next().map(|(k, _)| k.clone()));
    }

    fn key(rng: &mut XorShift) -> Vec<u8> {
        // Few distinct keys, with shared prefixes and varied lengths.
        let n = rng.next(400);
        let mut key =
            format!("{}/{:0width$}", ["d", "m", "r"][(n % 3) as usize], n, width = 1 + (n % 40) as usize).into_bytes();
        // Some keys are prefixes of others.
        key.truncate(key.len() - rng.next(3) as usize);
        key
    }

    #[test]
    fn behaves_like_an_ordered_map() {
        for seed in 1..=20u64 {
            let mut rng = XorShift(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let mut blocks = Blocks::default();
            let mut model = BTreeMap::new();
            for step in 0..3_000 {
                let k = key(&mut rng);
                if rng.next(3) == 0 {
                    blocks.delete(&k);
                    model.remove(&k);
                } else {
                    // Mostly small values, sometimes one larger than a block.
                    let len = if rng.next(50) == 0 {
                        SPLIT_AT + rng.next(3 * SPLIT_AT as u64) as usize
                    } else {
                        rng.next(300) as usize
                    };
                    let v = vec![(step % 251) as u8; len];
                    blocks.put(&k, &v);
                    model.insert(k.clone(), v);
                }
                assert_eq!(blocks.get(&k), model.get(&k).map(Vec::as_slice), "seed {seed} step {step}");
                if step % 97 == 0 {
                    check(&blocks, &model, &mut rng);
                }
            }
            check(&blocks, &model, &mut rng);
            let keys: Vec<_> = model.keys().cloned().collect();
            for k in keys {
                blocks.delete(&k);
            }
            assert_eq!((blocks.len(), blocks.map.len()), (0, 0), "deleting everything leaves no block");
        }
    }

    #[test]
    fn appended_keys_fill_blocks() {
        let mut blocks = Blocks::default();
        for i in 0..10_000u32 {
            blocks.put(format!("d/{i:08}").as_bytes(), &[1; 20]);
        }
        let held: usize = blocks.map.values().map(Vec::len).sum();
        let reserved: usize = blocks.map.values().map(Vec::capacity).sum();
        assert!(blocks.map.len() < held / (SPLIT_AT / 2 - 100) + 2, "{} blocks for {held} bytes", blocks.map.len());
        assert!(reserved - held <= held / 8, "spare room stays small: {reserved} for {held}");
    }

    #[test]
    fn capacities_come_in_eight_sizes_per_power_of_two() {
        for n in [0, 1, 255, 256, 257, 1000, 2049, 4096, 4097, 70_000] {
            let c = capacity_for(n);
            assert!(c >= n && (c == 256 || c - n <= c / 8), "{n} -> {c}");
        }
        let sizes: std::collections::BTreeSet<_> = (2049..=4096).map(capacity_for).collect();
        assert_eq!(sizes.len(), 8);
    }
}
