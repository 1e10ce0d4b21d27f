//! Scoped bearer tokens: which mailboxes a holder may use, for which
//! operations, until when.
//!
//! A token is one URL-safe string, `pmq1.<kid>.<payload>.<mac>`:
//! - `pmq1` names this format, so a later one can sit beside it;
//! - `kid` names the signing key, so several keys can be valid at once (rotation);
//! - `payload` is the base64url (no padding) of the postcard-encoded [`Claims`];
//! - `mac` is the base64url of HMAC-SHA-256, under the kid's secret, of
//!   everything before it (`pmq1.<kid>.<payload>`), so neither the kid nor the
//!   claims can be swapped without the secret.
//!
//! Verifying needs the keys and the current time only: no storage read, and the
//! MAC is compared in constant time. The claims are signed, not encrypted: the
//! holder can read its own mailbox pattern, operations and expiry.

mod claims;
mod expiry;
mod keys;
mod mint;
mod verify;

pub use claims::{Claims, Op, Ops};
pub use expiry::expiry_of;
pub use keys::{SigningKeys, MIN_SECRET_LEN};
pub use mint::mint;
pub use verify::{verify, Invalid};

/// The first part of every token of this format.
const VERSION: &str = "pmq1";

/// Longest token read: far above any real one (a 255-byte mailbox pattern and a
/// 64-character kid make about 450), and it bounds the work an attacker can cause.
const MAX_TOKEN_LEN: usize = 1024;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;
