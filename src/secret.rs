//! Comparing secrets (lock ids, bearer tokens) without leaking them through timing.

use sha1::{Digest, Sha1};

/// Compares the SHA-1 digests of both sides byte by byte without an early exit:
/// hashing first means neither the length of the secret nor the length of the
/// matching prefix shows in the timing.
pub(crate) fn same_secret(given: &str, expected: &str) -> bool {
    let (a, b) = (Sha1::digest(given.as_bytes()), Sha1::digest(expected.as_bytes()));
    a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn equal_only_when_identical() {
        assert!(same_secret("a1b2", "a1b2"));
        assert!(!same_secret("a1b2", "a1b3"));
        assert!(!same_secret("a1b2", "a1b2c"));
        assert!(!same_secret("", "x"));
    }
}
