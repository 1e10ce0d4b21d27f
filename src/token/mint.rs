//! Making a token.

use super::keys::{check_kid, check_secret};
use super::{Claims, HmacSha256, MAX_TOKEN_LEN, VERSION};
use crate::error::{Error, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::Mac;

/// The token granting `claims`, signed with `secret` under key id `kid`.
/// Fails on an invalid mailbox pattern, kid or secret (the same checks a
/// server applies to its keys, so every minted token can be verified).
pub fn mint(claims: &Claims, kid: &str, secret: &[u8]) -> Result<String> {
    claims.validate()?;
    check_kid(kid)?;
    check_secret(secret)?;
    let payload = postcard::to_allocvec(claims).map_err(|e| Error::Internal(format!("token payload: {e}")))?;
    let mut token = format!("{VERSION}.{kid}.{}", URL_SAFE_NO_PAD.encode(payload));
    let mac = signature(secret, &token);
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(mac));
    debug_assert!(token.len() <= MAX_TOKEN_LEN);
    Ok(token)
}

/// HMAC-SHA-256 of `signed` under `secret`.
pub(super) fn signature(secret: &[u8], signed: &str) -> [u8; 32] {
    keyed(secret, signed).finalize().into_bytes().into()
}

/// The MAC state after `signed`, for [`signature`] and constant-time verification.
pub(super) fn keyed(secret: &[u8], signed: &str) -> HmacSha256 {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(signed.as_bytes());
    mac
}
