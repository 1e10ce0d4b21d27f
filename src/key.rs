//! Message ids: 20-byte SHA-1 keys of stored bodies, printed as 40 lowercase hex digits.

use crate::error::{Error, Result};
use core::fmt;
use sha1::{Digest, Sha1};

/// A content address: the SHA-1 of a stored blob.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(pub [u8; 20]);

impl Key {
    /// Length of a key in bytes.
    pub const LEN: usize = 20;

    /// The SHA-1 of `data`.
    pub fn of(data: &[u8]) -> Key {
        Key(Sha1::digest(data).into())
    }

    /// Parses 40 hex digits (either case). The Go original swapped its
    /// "too short"/"too long" errors; here the message says what was wrong.
    pub fn parse(text: &str) -> Result<Key> {
        let want = Self::LEN * 2;
        if text.len() != want {
            return Err(Error::InvalidKey(format!(
                "expected {want} hex digits, got {} characters",
                text.chars().count()
            )));
        }
        let mut out = [0u8; 20];
        hex::decode_to_slice(text, &mut out).map_err(|_| Error::InvalidKey(format!("{text:?} is not hexadecimal")))?;
        Ok(Key(out))
    }

    /// The 40-digit lowercase hex form.
    pub fn to_hex(&self) -> String {
        let mut out = String::with_capacity(40);
        self.push_hex(&mut out);
        out
    }

    /// Appends the hex form to `out`; keys are printed into every storage key, so
    /// this skips the temporary `String` of [`Key::to_hex`].
    pub fn push_hex(&self, out: &mut String) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut digits = [0u8; 40];
        for (pair, b) in digits.chunks_exact_mut(2).zip(self.0) {
            pair[0] = HEX[(b >> 4) as usize];
            pair[1] = HEX[(b & 15) as usize];
        }
        out.push_str(core::str::from_utf8(&digits).expect("hex digits are ASCII"));
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_of_hello_world_matches_go() {
        assert_eq!(Key::of(b"hello world").to_hex(), "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed");
    }

    #[test]
    fn print_then_read_round_trips() {
        let key = Key::of(b"pandora");
        assert_eq!(Key::parse(&key.to_hex()).unwrap(), key);
        assert_eq!(Key::parse(&key.to_hex().to_uppercase()).unwrap(), key);
    }

    #[test]
    fn wrong_length_says_so() {
        let short = Key::parse("abcd").unwrap_err();
        assert_eq!(short.code(), "invalid_key");
        assert!(short.to_string().contains("got 4"), "{short}");
        let long = Key::parse(&"a".repeat(42)).unwrap_err();
        assert!(long.to_string().contains("got 42"), "{long}");
    }

    #[test]
    fn non_hex_says_so() {
        let err = Key::parse(&"z".repeat(40)).unwrap_err();
        assert_eq!(err.code(), "invalid_key");
        assert!(err.to_string().contains("not hexadecimal"), "{err}");
    }
}
