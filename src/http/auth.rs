//! Bearer-token check, done before routing so an unauthorised request learns
//! nothing about which routes exist and touches no state.

use crate::secret::same_secret;

/// True when the request may proceed: no token is configured, or the
/// `Authorization` header carries exactly the configured bearer token.
///
/// An empty configured token matches nothing (fail closed): a deployment that
/// means "no auth" says so with `None`, not with an empty secret.
pub(super) fn authorized(expected: Option<&str>, authorization: Option<&str>) -> bool {
    let Some(expected) = expected else {
        return true;
    };
    match authorization.and_then(bearer_token) {
        Some(given) => !expected.is_empty() && same_secret(given, expected),
        None => false,
    }
}

/// The token of a `Bearer <token>` header. The scheme is case-insensitive (RFC 7235).
fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim_start();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_when_no_token_is_configured() {
        assert!(authorized(None, None));
        assert!(authorized(None, Some("Bearer anything")));
    }

    #[test]
    fn needs_the_exact_token() {
        let ok = |h: &str| authorized(Some("s3cret"), Some(h));
        assert!(ok("Bearer s3cret"));
        assert!(ok("bearer s3cret"));
        assert!(ok("  BEARER   s3cret "));
        assert!(!ok("Bearer s3cre"));
        assert!(!ok("Bearer s3cret2"));
        assert!(!ok("Basic s3cret"));
        assert!(!ok("Bearer"));
        assert!(!ok("s3cret"));
        assert!(!authorized(Some("s3cret"), None));
    }

    #[test]
    fn empty_configured_token_matches_nothing() {
        assert!(!authorized(Some(""), Some("Bearer ")));
        assert!(!authorized(Some(""), Some("Bearer x")));
    }
}
