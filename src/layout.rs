//! Where things live in storage. Every key is ASCII and sorts bytewise; the full
//! layout and the reasons behind it are in `docs/design.md`.
//!
//! | key | value |
//! | --- | --- |
//! | `h/<mid>` | header record of a pending message, or a confirmed tombstone |
//! | `b/<mid>` | blob record: reference count + form-encoded body |
//! | `v/<mailbox>/<visibleAt>/<mid>` | empty: the delivery order of a mailbox |
//! | `r/<mailbox>/<receivedAt>/<mid>` | empty: the listing order of a mailbox |
//! | `l/<leasedUntil>/<mid>` | empty: running leases, for `reenqueue` |
//! | `t/<expiresAt>/<mid>` | empty: tombstones to collect after the dedupe window |

use crate::key::Key;

/// Header records, by mid.
pub fn header(mid: &Key) -> String {
    keyed("h/", mid)
}

/// Blob records, by mid.
pub fn blob(mid: &Key) -> String {
    keyed("b/", mid)
}

/// Prefix of a mailbox's delivery index.
pub fn visible_prefix(mailbox: &str) -> String {
    mailbox_prefix("v/", mailbox)
}

/// A message's entry in its mailbox's delivery index.
pub fn visible(mailbox: &str, at: i64, mid: &Key) -> String {
    timed(visible_prefix(mailbox), at, mid)
}

/// Prefix of a mailbox's listing index.
pub fn received_prefix(mailbox: &str) -> String {
    mailbox_prefix("r/", mailbox)
}

/// A message's entry in its mailbox's listing index.
pub fn received(mailbox: &str, at: i64, mid: &Key) -> String {
    timed(received_prefix(mailbox), at, mid)
}

/// Prefix of the lease index.
pub const LEASES: &str = "l/";

/// A running lease's entry.
pub fn lease(until: i64, mid: &Key) -> String {
    timed(String::from(LEASES), until, mid)
}

/// Prefix of the tombstone index.
pub const TOMBSTONES: &str = "t/";

/// A tombstone's entry.
pub fn tombstone(expires_at: i64, mid: &Key) -> String {
    timed(String::from(TOMBSTONES), expires_at, mid)
}

/// A time as 16 hex digits with the sign bit flipped, so keys sort in time order
/// (negative times included) and compare as plain bytes.
pub fn time(ms: i64) -> String {
    let mut out = String::with_capacity(16);
    push_time(&mut out, ms);
    out
}

/// The time and mid at the end of an index key (`…/<time>/<mid>`).
pub fn parse_index_key(key: &str) -> Option<(i64, Key)> {
    let (rest, mid) = key.rsplit_once('/')?;
    let (_, time) = rest.rsplit_once('/')?;
    let raw = u64::from_str_radix(time, 16).ok()?;
    Some(((raw ^ (1 << 63)) as i64, Key::parse(mid).ok()?))
}

// Keys are built on every operation, so they are written into one buffer sized
// up front rather than through `format!`.

fn keyed(prefix: &str, mid: &Key) -> String {
    let mut out = String::with_capacity(prefix.len() + 40);
    out.push_str(prefix);
    mid.push_hex(&mut out);
    out
}

fn timed(mut out: String, at: i64, mid: &Key) -> String {
    out.reserve(16 + 1 + 40);
    push_time(&mut out, at);
    out.push('/');
    mid.push_hex(&mut out);
    out
}

fn push_time(out: &mut String, ms: i64) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let raw = (ms as u64) ^ (1 << 63);
    for shift in (0..16).rev() {
        out.push(HEX[((raw >> (shift * 4)) & 15) as usize] as char);
    }
}

/// Mailbox names are any UTF-8; keys must be ASCII and the name must not contain
/// `/`, or one mailbox's prefix could match another's. Form escaping gives both.
fn mailbox_prefix(kind: &str, mailbox: &str) -> String {
    let mut out = String::with_capacity(kind.len() + mailbox.len() * 3 + 1 + 16 + 1 + 40);
    out.push_str(kind);
    out.extend(url::form_urlencoded::byte_serialize(mailbox.as_bytes()));
    out.push('/');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_keys_sort_like_times() {
        let times = [-5_000i64, -1, 0, 1, 999, 1_700_000_000_000, i64::MAX];
        for pair in times.windows(2) {
            assert!(time(pair[0]) < time(pair[1]), "{pair:?}");
        }
    }

    #[test]
    fn index_keys_parse_back() {
        let mid = Key::of(b"x");
        let key = visible("b@x", 1_234, &mid);
        assert_eq!(parse_index_key(&key), Some((1_234, mid)));
        assert_eq!(parse_index_key(&lease(-7, &mid)), Some((-7, mid)));
    }

    #[test]
    fn mailbox_prefixes_never_overlap() {
        let mid = Key::of(b"x");
        let a = visible_prefix("a");
        assert!(!visible("a/b", 0, &mid).starts_with(&a));
        assert!(!visible("ab", 0, &mid).starts_with(&a));
        assert!(visible("a", 0, &mid).starts_with(&a));
        assert!(visible("ü x", 0, &mid).is_ascii());
    }
}
