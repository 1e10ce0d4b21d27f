//! Where things live in storage (format 2). Every key is ASCII and sorts
//! bytewise; the full layout and the reasons behind it are in `docs/design.md`.
//!
//! | key | value |
//! | --- | --- |
//! | `m<mid>` | the message record: header, reference count and body |
//! | `d<mailbox>/<visibleAt><mid>` | [`Entry`]: the delivery order of a mailbox |
//! | `r<mailbox>/<receivedAt><mid>` | a pointer to the delivery entry: the listing order of a mailbox |
//! | `x<mailbox>/<receivedAt><mid>` | [`Entry`]: the dead letters of a mailbox, oldest first |
//!
//! `<mid>` is the 20-byte SHA-1 in 27 digits and `<time>` a sign-flipped i64 in
//! 11 digits, both in an order-preserving base-64 alphabet, so keys stay short,
//! lose no bit and sort like the numbers they encode. `<mailbox>` is
//! form-escaped, which never produces a `/`.

use crate::key::Key;

/// Digits in ascending ASCII order, so a fixed-width number sorts like its digits.
const DIGITS: &[u8; 64] = b"-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
/// Digits of a mid: 160 bits in 6-bit digits.
pub const MID_DIGITS: usize = 27;
/// Digits of a time: 64 bits in 6-bit digits.
pub const TIME_DIGITS: usize = 11;

/// Prefix of message records.
pub const MESSAGES: &str = "m";

/// Format-1 stores keep every message under `h/<mid>`; a store holding such a key
/// was written by the previous layout.
pub const FORMAT_1_PROBE: &str = "h/";

/// A message record, by mid.
pub fn message(mid: &Key) -> String {
    let mut out = String::with_capacity(1 + MID_DIGITS);
    out.push_str(MESSAGES);
    push_mid(&mut out, mid);
    out
}

/// The mid of a message record key.
pub fn parse_message_key(key: &str) -> Option<Key> {
    parse_mid(key.strip_prefix(MESSAGES)?)
}

/// Prefix of a mailbox's delivery index.
pub fn visible_prefix(mailbox: &str) -> String {
    mailbox_prefix('d', mailbox)
}

/// A message's entry in its mailbox's delivery index.
pub fn visible(mailbox: &str, at: i64, mid: &Key) -> String {
    timed(visible_prefix(mailbox), at, mid)
}

/// Prefix of every delivery index (all mailboxes).
pub const ALL_VISIBLE: &str = "d";

/// Prefix of a mailbox's listing index.
pub fn received_prefix(mailbox: &str) -> String {
    mailbox_prefix('r', mailbox)
}

/// A message's entry in its mailbox's listing index.
pub fn received(mailbox: &str, at: i64, mid: &Key) -> String {
    timed(received_prefix(mailbox), at, mid)
}

/// Prefix of a mailbox's dead-letter index.
pub fn dead_prefix(mailbox: &str) -> String {
    mailbox_prefix('x', mailbox)
}

/// A dead message's entry, by its receive time.
pub fn dead(mailbox: &str, received_at: i64, mid: &Key) -> String {
    timed(dead_prefix(mailbox), received_at, mid)
}

/// What a delivery or dead-letter entry says about its message: the state a
/// fetch changes, so that a fetch writes nothing but its delivery entry (the
/// record keeps what never changes; see `docs/design.md`), and all `stats`
/// counts (leased or not, the body's size, a lease's retry back-off).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub leased: bool,
    pub body_len: u32,
    /// Deliveries so far.
    pub delivery_count: u32,
    /// Status code (see [`crate::message::Status`]) the next delivery reports.
    pub status: u8,
    /// ms from one past the lease's end to the entry's time (leases only).
    pub wait: u64,
    /// ms from the fetch that issued the lease to its end (leases only).
    pub span: u64,
    /// The random part of the lease's lock id (leases only).
    pub lid: [u8; 16],
}

impl Entry {
    /// An entry that is not a lease's.
    pub fn queued(body_len: usize, delivery_count: u32, status: u8) -> Entry {
        Entry { leased: false, body_len: body_len as u32, delivery_count, status, wait: 0, span: 0, lid: [0; 16] }
    }

    /// `[leased: 0 or 1][body length][delivery count][status]`, then for a
    /// lease `[wait][span][16 bytes of lid]`; numbers in LEB128.
    pub fn encode(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(if self.leased { 28 } else { 6 });
        out.push(self.leased as u8);
        push_leb(&mut out, self.body_len as u64);
        push_leb(&mut out, self.delivery_count as u64);
        out.push(self.status);
        if self.leased {
            push_leb(&mut out, self.wait);
            push_leb(&mut out, self.span);
            out.extend_from_slice(&self.lid);
        }
        out
    }

    /// Reads [`Entry::encode`]'s bytes.
    pub fn decode(bytes: &[u8]) -> Option<Entry> {
        let (&flag, rest) = bytes.split_first()?;
        let (len, rest) = take_leb(rest)?;
        let (count, rest) = take_leb(rest)?;
        let (&status, rest) = rest.split_first()?;
        let mut entry = Entry::queued(u32::try_from(len).ok()? as usize, u32::try_from(count).ok()?, status);
        let rest = match flag {
            0 => rest,
            1 => {
                let (wait, rest) = take_leb(rest)?;
                let (span, rest) = take_leb(rest)?;
                let (lid, rest) = rest.split_at_checked(16)?;
                entry.leased = true;
                entry.wait = wait;
                entry.span = span;
                entry.lid = lid.try_into().ok()?;
                rest
            }
            _ => return None,
        };
        rest.is_empty().then_some(entry)
    }
}

/// What a listing entry `r<mailbox>/<receivedAt><mid>` holds: how far after
/// the receive time the message's delivery entry was when the entry was last
/// written (by a send, reject, redrive or release). A fetch moves the
/// delivery entry without writing this; a listing that misses the entry here
/// knows the message is under a lease.
pub fn encode_pointer(received_at: i64, visible_at: i64) -> Vec<u8> {
    let mut out = Vec::with_capacity(4);
    push_leb(&mut out, visible_at.wrapping_sub(received_at) as u64);
    out
}

/// The delivery time a listing entry of a message received at `received_at` points at.
pub fn decode_pointer(received_at: i64, bytes: &[u8]) -> Option<i64> {
    let (delta, rest) = take_leb(bytes)?;
    rest.is_empty().then_some(received_at.wrapping_add(delta as i64))
}

fn push_leb(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn take_leb(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut n: u64 = 0;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        n |= ((b & 0x7f) as u64) << (7 * i);
        if b & 0x80 == 0 {
            return Some((n, &bytes[i + 1..]));
        }
    }
    None
}

/// A time in [`TIME_DIGITS`] order-preserving digits (negative times included).
pub fn time(ms: i64) -> String {
    let mut out = String::with_capacity(TIME_DIGITS);
    push_time(&mut out, ms);
    out
}

/// The time and mid at the end of an index key (`…/<time><mid>`).
pub fn parse_index_key(key: &str) -> Option<(i64, Key)> {
    let (_, tail) = key.rsplit_once('/')?;
    if tail.len() != TIME_DIGITS + MID_DIGITS {
        return None;
    }
    let (time, mid) = tail.split_at(TIME_DIGITS);
    let raw = parse_digits(time)?;
    if raw >> 64 != 0 {
        return None;
    }
    Some(((raw as u64 ^ (1 << 63)) as i64, parse_mid(mid)?))
}

/// A key just past `key` and everything that extends it: keys are ASCII
/// below `~`, so `~` sorts after every continuation.
pub fn after(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 1);
    out.push_str(key);
    out.push('~');
    out
}

// Keys are built on every operation, so they are written into one buffer sized
// up front rather than through `format!`.

fn timed(mut out: String, at: i64, mid: &Key) -> String {
    out.reserve(TIME_DIGITS + MID_DIGITS);
    push_time(&mut out, at);
    push_mid(&mut out, mid);
    out
}

fn push_time(out: &mut String, ms: i64) {
    push_digits(out, ((ms as u64) ^ (1 << 63)) as u128, TIME_DIGITS);
}

fn push_mid(out: &mut String, mid: &Key) {
    // 160 bits do not fit a u128: the first 8 bytes go into 11 digits (66 bits,
    // the top 2 always 0), the other 12 bytes into 16 digits (96 bits).
    let (head, tail) = mid.0.split_at(8);
    let mut hi = [0u8; 16];
    hi[8..].copy_from_slice(head);
    let mut lo = [0u8; 16];
    lo[4..].copy_from_slice(tail);
    push_digits(out, u128::from_be_bytes(hi), 11);
    push_digits(out, u128::from_be_bytes(lo), 16);
}

fn parse_mid(text: &str) -> Option<Key> {
    if text.len() != MID_DIGITS {
        return None;
    }
    let (head, tail) = text.split_at(11);
    let (hi, lo) = (parse_digits(head)?, parse_digits(tail)?);
    if hi >> 64 != 0 || lo >> 96 != 0 {
        return None;
    }
    let mut out = [0u8; 20];
    out[..8].copy_from_slice(&(hi as u64).to_be_bytes());
    out[8..].copy_from_slice(&lo.to_be_bytes()[4..]);
    Some(Key(out))
}

fn push_digits(out: &mut String, value: u128, width: usize) {
    for i in (0..width).rev() {
        out.push(DIGITS[((value >> (6 * i)) & 63) as usize] as char);
    }
}

/// The value of each ASCII byte as a digit, or 255.
const DIGIT_VALUES: [u8; 256] = {
    let mut table = [255u8; 256];
    let mut i = 0;
    while i < 64 {
        table[DIGITS[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn parse_digits(text: &str) -> Option<u128> {
    text.bytes().try_fold(0u128, |acc, b| match DIGIT_VALUES[b as usize] {
        255 => None,
        digit => Some((acc << 6) | digit as u128),
    })
}

/// A time written by [`time`].
pub fn parse_time(text: &str) -> Option<i64> {
    if text.len() != TIME_DIGITS {
        return None;
    }
    let raw = parse_digits(text)?;
    (raw >> 64 == 0).then_some((raw as u64 ^ (1 << 63)) as i64)
}

/// The time of an index key (`…/<time><mid>`), without reading its mid.
pub fn parse_index_time(key: &str) -> Option<i64> {
    let (_, tail) = key.rsplit_once('/')?;
    if tail.len() != TIME_DIGITS + MID_DIGITS {
        return None;
    }
    let raw = parse_digits(&tail[..TIME_DIGITS])?;
    (raw >> 64 == 0).then_some((raw as u64 ^ (1 << 63)) as i64)
}

/// Mailbox names are any UTF-8; keys must be ASCII and the name must not contain
/// `/`, or one mailbox's prefix could match another's. Form escaping gives both.
fn mailbox_prefix(kind: char, mailbox: &str) -> String {
    let mut out = String::with_capacity(1 + mailbox.len() * 3 + 1 + TIME_DIGITS + MID_DIGITS);
    out.push(kind);
    out.extend(url::form_urlencoded::byte_serialize(mailbox.as_bytes()));
    out.push('/');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_keys_sort_like_times() {
        let times = [i64::MIN, -5_000i64, -1, 0, 1, 999, 1_700_000_000_000, i64::MAX];
        for pair in times.windows(2) {
            assert!(time(pair[0]) < time(pair[1]), "{pair:?}");
        }
        assert!(times.iter().all(|&t| time(t).len() == TIME_DIGITS));
    }

    #[test]
    fn index_keys_parse_back() {
        let mid = Key::of(b"x");
        for at in [1_234, -7, i64::MIN, i64::MAX] {
            assert_eq!(parse_index_key(&visible("b@x", at, &mid)), Some((at, mid)));
        }
        assert_eq!(parse_message_key(&message(&mid)), Some(mid));
    }

    #[test]
    fn mids_keep_every_bit_and_their_order() {
        let keys = [Key([0; 20]), Key([255; 20]), Key::of(b"a"), Key::of(b"b"), Key::of(b"c")];
        for a in keys {
            assert_eq!(parse_message_key(&message(&a)), Some(a));
            for b in keys {
                assert_eq!(a.cmp(&b), message(&a).cmp(&message(&b)), "{a} {b}");
            }
        }
    }

    #[test]
    fn entries_round_trip() {
        let leased = Entry { leased: true, wait: 0, span: 7, lid: [9; 16], ..Entry::queued(300, 1, 8) };
        let entries = [
            Entry::queued(0, 0, 8),
            Entry::queued(12, 3, 2),
            leased,
            Entry { body_len: u32::MAX, delivery_count: u32::MAX, wait: 1 << 40, span: 1 << 45, ..leased },
        ];
        for e in entries {
            assert_eq!(Entry::decode(&e.encode()), Some(e));
        }
        assert_eq!(Entry::decode(&[]), None);
        assert_eq!(Entry::decode(&[2, 0, 0, 8]), None);
        assert_eq!(Entry::decode(&leased.encode()[..20]), None);
        for (received, visible) in [(5, 5), (5, 90_000), (-3, 1 << 50)] {
            assert_eq!(decode_pointer(received, &encode_pointer(received, visible)), Some(visible));
        }
    }

    #[test]
    fn mailbox_prefixes_never_overlap() {
        let mid = Key::of(b"x");
        let a = visible_prefix("a");
        assert!(!visible("a/b", 0, &mid).starts_with(&a));
        assert!(!visible("ab", 0, &mid).starts_with(&a));
        assert!(visible("a", 0, &mid).starts_with(&a));
        assert!(visible("ü x", 0, &mid).is_ascii());
        assert!(after(&a) > visible("a", i64::MAX, &mid));
    }
}
