//! Lock ids: `[<issuer>.]<32 hex: 128 random bits><11 digits: where the lease's delivery entry is>`.
//!
//! The random part is the secret (compared without leaking timing); the time
//! part names the delivery entry the fetch wrote, so that an ack or extend
//! finds it with one get: a fetch writes nothing else (see `docs/design.md`).
//! The issuer (the Worker's object id) routes a lid to the object holding it.

use crate::layout::{self, TIME_DIGITS};
use crate::secret::same_secret;

/// Hex digits of the random part.
const RANDOM_DIGITS: usize = 32;

/// The lid of a lease whose delivery entry is at `at`.
pub(crate) fn format(prefix: &str, random: &[u8; 16], at: i64) -> String {
    let mut out = String::with_capacity(prefix.len() + 1 + RANDOM_DIGITS + TIME_DIGITS);
    if !prefix.is_empty() {
        out.push_str(prefix);
        out.push('.');
    }
    out.push_str(&hex::encode(random));
    out.push_str(&layout::time(at));
    out
}

/// The random part (as given, in hex) and the entry time of `lid`; `None`
/// when it is not shaped like a lid a server with issuer `prefix` issues.
pub(crate) fn parse<'a>(prefix: &str, lid: &'a str) -> Option<(&'a str, i64)> {
    let own = match prefix.is_empty() {
        true => lid,
        false => lid.strip_prefix(prefix)?.strip_prefix('.')?,
    };
    if own.len() != RANDOM_DIGITS + TIME_DIGITS || !own.is_ascii() {
        return None;
    }
    let (random, at) = own.split_at(RANDOM_DIGITS);
    if !random.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((random, layout::parse_time(at)?))
}

/// True when the random part `given` (hex, from [`parse`]) is `stored`.
pub(crate) fn holds(given: &str, stored: &[u8; 16]) -> bool {
    same_secret(given, &hex::encode(stored))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lid_names_its_entry_and_keeps_its_secret() {
        let random = [0xab; 16];
        for (prefix, at) in [("", 1_700_000_000_000), ("obj-1", -5), ("a.b", i64::MAX)] {
            let lid = format(prefix, &random, at);
            let (given, parsed) = parse(prefix, &lid).unwrap();
            assert_eq!(parsed, at);
            assert!(holds(given, &random));
            assert!(!holds(given, &[0xac; 16]));
        }
        assert_eq!(parse("", "0123"), None);
        assert_eq!(parse("", &"g".repeat(43)), None);
        assert_eq!(parse("two", &format("one", &random, 5)), None, "another issuer's");
    }
}
