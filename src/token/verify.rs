//! Checking a token: format, key, MAC, claims, expiry.

use super::mint::keyed;
use super::{Claims, SigningKeys, MAX_TOKEN_LEN, VERSION};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::Mac;

/// Why a token was refused. Hosts answer every one with the same 401; the
/// reason is for tests and for the server's own diagnostics, and never holds
/// any part of the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// Not `pmq1.<kid>.<payload>.<mac>` with well-formed parts.
    Malformed,
    /// The kid is not among the server's keys (never was, or was removed).
    UnknownKey,
    /// The MAC does not match: altered, truncated, or signed with another secret.
    BadSignature,
    /// Valid, but `now` is past its expiry.
    Expired,
}

/// The claims of `token` when it is well-formed, signed by one of `keys` and
/// not expired at `now`. Reads no storage; the MAC comparison is constant-time.
pub fn verify(token: &str, keys: &SigningKeys, now: i64) -> Result<Claims, Invalid> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(Invalid::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(version), Some(kid), Some(payload), Some(mac), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Invalid::Malformed);
    };
    if version != VERSION || kid.is_empty() || payload.is_empty() {
        return Err(Invalid::Malformed);
    }
    let secret = keys.get(kid).ok_or(Invalid::UnknownKey)?;
    // The strict decoder refuses non-canonical trailing bits, so one text has one value.
    let mac = URL_SAFE_NO_PAD.decode(mac).map_err(|_| Invalid::Malformed)?;
    let signed = &token[..version.len() + kid.len() + payload.len() + 2];
    keyed(secret, signed).verify_slice(&mac).map_err(|_| Invalid::BadSignature)?;
    // Signed by us, so a decoding failure means a format this build does not know.
    let bytes = URL_SAFE_NO_PAD.decode(payload).map_err(|_| Invalid::Malformed)?;
    let claims = match postcard::take_from_bytes::<Claims>(&bytes) {
        Ok((claims, [])) if claims.validate().is_ok() => claims,
        _ => return Err(Invalid::Malformed),
    };
    if now > claims.expires {
        return Err(Invalid::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::super::{mint, Ops};
    use super::*;

    const NOW: i64 = 1_800_000_000_000;
    const SECRET: &[u8] = b"correct horse battery staple 0123456789";

    fn keys(kids: &[&str]) -> SigningKeys {
        let mut keys = SigningKeys::new();
        for kid in kids {
            keys.insert(kid, SECRET).unwrap();
        }
        keys
    }

    fn claims(mailbox: &str, ops: &[&str], expires: i64) -> Claims {
        Claims { mailbox: mailbox.into(), ops: Ops::parse(ops.iter().copied()).unwrap(), expires }
    }

    /// `token` with the character at `i` replaced by another base64url character.
    fn altered(token: &str, i: usize) -> String {
        let mut bytes = token.as_bytes().to_vec();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_minted_token_verifies_to_its_claims() {
        let c = claims("tenant-*", &["send", "consume"], NOW + 1000);
        let token = mint(&c, "k1", SECRET).unwrap();
        assert!(token.starts_with("pmq1.k1."));
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)), "URL-safe: {token}");
        assert_eq!(verify(&token, &keys(&["k0", "k1"]), NOW), Ok(c));
    }

    /// A token of this format, its MAC checked independently (Python's `hmac`
    /// module): the format is stable, and the MAC is plain HMAC-SHA-256.
    #[test]
    fn a_token_minted_earlier_still_verifies() {
        const KNOWN: &str = "pmq1.k1.CG9yZGVycy8qA4DA4oXjaA.2GuaxlUZRmSEsgXkYf9qU5imYAqrpsb-49LD8KdeR5w";
        let expected = claims("orders/*", &["send", "consume"], 1_800_000_000_000);
        assert_eq!(verify(KNOWN, &keys(&["k1"]), 1_800_000_000_000), Ok(expected.clone()));
        assert_eq!(mint(&expected, "k1", SECRET).unwrap(), KNOWN);
    }

    #[test]
    fn expiry_is_inclusive_to_the_millisecond() {
        let token = mint(&claims("a", &["send"], NOW), "k1", SECRET).unwrap();
        assert!(verify(&token, &keys(&["k1"]), NOW).is_ok());
        assert_eq!(verify(&token, &keys(&["k1"]), NOW + 1), Err(Invalid::Expired));
    }

    #[test]
    fn every_single_character_change_is_refused() {
        let token = mint(&claims("a", &["admin"], NOW + 1000), "k1", SECRET).unwrap();
        let keys = keys(&["k1"]);
        for i in 0..token.len() {
            let bad = altered(&token, i);
            assert!(verify(&bad, &keys, NOW).is_err(), "changed at {i}: {bad}");
        }
        for len in 0..token.len() {
            assert!(verify(&token[..len], &keys, NOW).is_err(), "truncated to {len}");
        }
    }

    #[test]
    fn each_reason() {
        let token = mint(&claims("a", &["send"], NOW + 1000), "k1", SECRET).unwrap();
        let k1 = keys(&["k1"]);
        assert_eq!(verify(&token, &keys(&["k2"]), NOW), Err(Invalid::UnknownKey));
        assert_eq!(verify(&token, &SigningKeys::new(), NOW), Err(Invalid::UnknownKey));
        let mut other = SigningKeys::new();
        other.insert("k1", b"another secret of at least 32 bytes!!").unwrap();
        assert_eq!(verify(&token, &other, NOW), Err(Invalid::BadSignature));
        let last = token.len() - 1;
        assert_eq!(verify(&altered(&token, last), &k1, NOW), Err(Invalid::BadSignature));
        let payload_at = "pmq1.k1.".len();
        assert_eq!(verify(&altered(&token, payload_at), &k1, NOW), Err(Invalid::BadSignature));
        for bad in ["", ".", "pmq1", "pmq1...", "pmq2.k1.AA.AA", &format!("{token}.x"), &token.replace('.', ":")] {
            assert_eq!(verify(bad, &k1, NOW), Err(Invalid::Malformed), "{bad:?}");
        }
        // The kid is signed: moving a token to another kid with the same secret fails.
        let mut both = keys(&["k1", "k2"]);
        assert_eq!(verify(&token.replacen("k1", "k2", 1), &both, NOW), Err(Invalid::BadSignature));
        both = keys(&["k1"]);
        assert!(verify(&token, &both, NOW).is_ok());
        assert_eq!(verify(&"A".repeat(2000), &k1, NOW), Err(Invalid::Malformed));
    }

    #[test]
    fn mint_refuses_what_no_server_could_verify() {
        let c = claims("a", &["send"], NOW);
        assert_eq!(mint(&c, "k.1", SECRET).unwrap_err().code(), "bad_request");
        assert_eq!(mint(&c, "k1", b"short").unwrap_err().code(), "bad_request");
        assert_eq!(mint(&claims("", &["send"], NOW), "k1", SECRET).unwrap_err().code(), "invalid_mailbox");
        let longest = claims(&format!("{}*", "m".repeat(254)), &["send", "consume", "admin"], i64::MAX);
        let token = mint(&longest, &"k".repeat(64), SECRET).unwrap();
        assert!(token.len() <= MAX_TOKEN_LEN, "{}", token.len());
    }
}
