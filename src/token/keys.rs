//! The signing keys a server accepts, by key id.

use crate::error::{Error, Result};

/// Shortest secret accepted, in bytes: HMAC-SHA-256 is only as strong as its
/// key, and 32 random bytes match the hash's own strength.
pub const MIN_SECRET_LEN: usize = 32;

/// Longest key id, in characters.
const MAX_KID_LEN: usize = 64;

/// Key ids and their secrets. Several at once let a deployment rotate: add the
/// new kid, mint with it, remove the old one when its tokens should stop working.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SigningKeys(Vec<(String, Vec<u8>)>);

impl SigningKeys {
    /// No keys: scoped tokens are refused.
    pub fn new() -> SigningKeys {
        SigningKeys::default()
    }

    /// Adds a key after checking its id and length; a kid given twice is an error.
    pub fn insert(&mut self, kid: &str, secret: &[u8]) -> Result<()> {
        check_kid(kid)?;
        check_secret(secret)?;
        if self.get(kid).is_some() {
            return Err(Error::BadRequest(format!("signing key id {kid:?} is given twice")));
        }
        self.0.push((kid.to_owned(), secret.to_vec()));
        Ok(())
    }

    /// The secret of `kid`. Key ids are public (they are in every token), so the
    /// lookup need not be constant-time; secrets never leave this type otherwise.
    pub(super) fn get(&self, kid: &str) -> Option<&[u8]> {
        self.0.iter().find(|(k, _)| k == kid).map(|(_, s)| s.as_slice())
    }

    /// True when no key is configured.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

// Secrets must never reach a log line through `{:?}`.
impl core::fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.0.iter().map(|(kid, _)| kid)).finish()
    }
}

/// A kid is 1 to 64 characters of `[A-Za-z0-9_-]`: it sits between dots in the token.
pub(super) fn check_kid(kid: &str) -> Result<()> {
    let ok = !kid.is_empty()
        && kid.len() <= MAX_KID_LEN
        && kid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::BadRequest(format!("signing key id must be 1 to {MAX_KID_LEN} characters of [A-Za-z0-9_-]")))
    }
}

pub(super) fn check_secret(secret: &[u8]) -> Result<()> {
    if secret.len() >= MIN_SECRET_LEN {
        Ok(())
    } else {
        // The length only: the secret itself never goes into a message.
        Err(Error::BadRequest(format!(
            "signing secret is {} bytes; use at least {MIN_SECRET_LEN} random bytes (e.g. openssl rand -base64 32)",
            secret.len()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn kids_and_secrets_are_checked() {
        let mut keys = SigningKeys::new();
        assert!(keys.is_empty());
        keys.insert("k-1_A", SECRET).unwrap();
        assert_eq!(keys.get("k-1_A"), Some(SECRET));
        assert_eq!(keys.get("k-1_a"), None);
        for bad in ["", "a.b", "a b", "ä", &"k".repeat(65)] {
            assert_eq!(keys.insert(bad, SECRET).unwrap_err().code(), "bad_request", "{bad:?}");
        }
        assert!(keys.insert("short", &SECRET[1..]).is_err());
        assert!(keys.insert("k-1_A", SECRET).is_err(), "a kid twice");
    }

    #[test]
    fn debug_shows_kids_only() {
        let mut keys = SigningKeys::new();
        keys.insert("k1", SECRET).unwrap();
        let shown = format!("{keys:?}");
        assert_eq!(shown, r#"["k1"]"#);
    }
}
