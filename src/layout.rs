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
    format!("h/{mid}")
}

/// Blob records, by mid.
pub fn blob(mid: &Key) -> String {
    format!("b/{mid}")
}

/// Prefix of a mailbox's delivery index.
pub fn visible_prefix(mailbox: &str) -> String {
    format!("v/{}/", escape_mailbox(mailbox))
}

/// A message's entry in its mailbox's delivery index.
pub fn visible(mailbox: &str, at: i64, mid: &Key) -> String {
    format!("{}{}/{mid}", visible_prefix(mailbox), time(at))
}

/// Prefix of a mailbox's listing index.
pub fn received_prefix(mailbox: &str) -> String {
    format!("r/{}/", escape_mailbox(mailbox))
}

/// A message's entry in its mailbox's listing index.
pub fn received(mailbox: &str, at: i64, mid: &Key) -> String {
    format!("{}{}/{mid}", received_prefix(mailbox), time(at))
}

/// Prefix of the lease index.
pub const LEASES: &str = "l/";

/// A running lease's entry.
pub fn lease(until: i64, mid: &Key) -> String {
    format!("{LEASES}{}/{mid}", time(until))
}

/// Prefix of the tombstone index.
pub const TOMBSTONES: &str = "t/";

/// A tombstone's entry.
pub fn tombstone(expires_at: i64, mid: &Key) -> String {
    format!("{TOMBSTONES}{}/{mid}", time(expires_at))
}

/// A time as 16 hex digits with the sign bit flipped, so keys sort in time order
/// (negative times included) and compare as plain bytes.
pub fn time(ms: i64) -> String {
    format!("{:016x}", (ms as u64) ^ (1 << 63))
}

/// The time and mid at the end of an index key (`…/<time>/<mid>`).
pub fn parse_index_key(key: &str) -> Option<(i64, Key)> {
    let (rest, mid) = key.rsplit_once('/')?;
    let (_, time) = rest.rsplit_once('/')?;
    let raw = u64::from_str_radix(time, 16).ok()?;
    Some(((raw ^ (1 << 63)) as i64, Key::parse(mid).ok()?))
}

/// Mailbox names are any UTF-8; keys must be ASCII and the name must not contain
/// `/`, or one mailbox's prefix could match another's. Form escaping gives both.
fn escape_mailbox(mailbox: &str) -> String {
    url::form_urlencoded::byte_serialize(mailbox.as_bytes()).collect()
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
