//! Who may make a request, in two steps.
//!
//! 1. [`authenticate`], before routing, so an unauthorised request learns
//!    nothing about which routes exist and touches no state: the bearer
//!    credential is the configured full-access token, or a scoped token
//!    ([`crate::token`]) signed by one of the configured keys and not expired.
//! 2. The scope, against the mailbox the request concerns: [`permit`] for what
//!    the request names (its `receiver`), before any storage read, and
//!    [`permit_stored`] for what only storage knows (the mailbox of a `mid`),
//!    before the operation writes anything.
//!
//! A refused credential is 401 `unauthorized`; a valid token used outside its
//! scope is 403 `forbidden`. Neither reply says anything about the token.

use super::reply::{self, Format};
use super::{Checked, HttpOptions, HttpResponse, Route};
use crate::body::Body;
use crate::key::Key;
use crate::random::Random;
use crate::secret::same_secret;
use crate::server::Server;
use crate::storage::Storage;
use crate::token::{self, Claims, Op};

/// What an authenticated request may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Access {
    /// No auth configured, or the full-access token.
    Full,
    /// A scoped token's claims.
    Scoped(Claims),
}

/// The request's [`Access`], or `Err` for a 401.
///
/// Open when neither a token nor signing keys are configured. An empty
/// configured token matches nothing (fail closed): a deployment that means "no
/// auth" says so with `None`, not with an empty secret.
pub(super) fn authenticate(options: &HttpOptions, now: i64, authorization: Option<&str>) -> Result<Access, ()> {
    if options.token.is_none() && options.signing_keys.is_empty() {
        return Ok(Access::Full);
    }
    let credential = authorization.and_then(bearer_credential).ok_or(())?;
    if let Some(expected) = options.token.as_deref() {
        if !expected.is_empty() && same_secret(credential, expected) {
            return Ok(Access::Full);
        }
    }
    token::verify(credential, &options.signing_keys, now).map(Access::Scoped).map_err(|_| ())
}

/// The credential of a `Bearer <credential>` header. The scheme is
/// case-insensitive (RFC 7235), so `bearer` works. A credential holding
/// whitespace or a comma is refused: that is what two `Authorization` headers
/// look like once a host joins them (`Bearer a, Bearer b`), and which of two
/// credentials to trust is not this server's guess to make.
fn bearer_credential(header: &str) -> Option<&str> {
    let (scheme, credential) = header.trim().split_once([' ', '\t'])?;
    let credential = credential.trim_start_matches([' ', '\t']);
    let clean = !credential.is_empty() && !credential.contains(|c: char| c == ',' || c.is_whitespace());
    (scheme.eq_ignore_ascii_case("bearer") && clean).then_some(credential)
}

/// The operation a route needs a scoped token to allow. Exhaustive on
/// purpose: a new route does not compile until it is given one. `cancel` is
/// `Admin`: it removes messages a consumer could not take yet (delayed) or
/// that another consumer holds.
fn op_of(route: Route) -> Op {
    match route {
        Route::Send | Route::SendBatch => Op::Send,
        Route::Fetch | Route::Ack | Route::Extend | Route::Peek | Route::Stats => Op::Consume,
        Route::AckBatch => Op::Consume,
        Route::Headers | Route::FetchBlob | Route::Reenqueue => Op::Admin,
        Route::Cancel | Route::Redrive | Route::Purge => Op::Admin,
    }
}

/// The mailbox a request names for its route, as far as the fields tell.
enum Named<'a> {
    /// This mailbox (an absent receiver is `""`, which no pattern but `*` covers).
    Mailbox(&'a str),
    /// The route acts on every mailbox of the server.
    Every,
    /// The fields name none; the route's message says which (see [`message_of`]).
    Nothing,
    /// Each item names its own (`receiver`): all of them must be covered.
    EachItem,
}

fn named(route: Route, fields: &Body) -> Named<'_> {
    let receiver = || fields.get("receiver").unwrap_or("");
    match route {
        Route::Send | Route::Fetch | Route::Headers => Named::Mailbox(receiver()),
        Route::Cancel | Route::Peek | Route::Stats | Route::Redrive | Route::Purge => Named::Mailbox(receiver()),
        // A receiver picks the Worker's object; the mid's own mailbox is checked too.
        Route::FetchBlob => fields.get("receiver").map_or(Named::Nothing, Named::Mailbox),
        Route::SendBatch => Named::EachItem,
        // Each item's mid is checked against its stored mailbox, item by item.
        Route::Ack | Route::Extend | Route::AckBatch => Named::Nothing,
        // Reenqueue releases expired leases of every mailbox the server holds.
        Route::Reenqueue => Named::Every,
    }
}

/// The message whose mailbox a route acts on, when the route takes a `mid`.
/// A malformed mid is left to the operation, which refuses it without a write.
fn message_of(route: Route, fields: &Body) -> Option<Key> {
    match route {
        Route::Ack | Route::FetchBlob | Route::Extend | Route::Cancel => {
            fields.get("mid").and_then(|mid| Key::parse(mid).ok())
        }
        Route::Send | Route::Fetch | Route::Headers | Route::Reenqueue => None,
        Route::Peek | Route::Stats | Route::Redrive | Route::Purge => None,
        // Items carry their own mids: see `may_touch`.
        Route::SendBatch | Route::AckBatch => None,
    }
}

/// The scope check that needs no storage: the route's operation, and the
/// mailbox the request names. `Err` is the 403 to send.
pub(super) fn permit(
    access: &Access,
    route: Route,
    fields: &Body,
    items: &[Body],
    format: Format,
) -> Result<(), HttpResponse> {
    let Access::Scoped(claims) = access else {
        return Ok(());
    };
    let op = op_of(route);
    let allowed = claims.ops.allows(op)
        && match named(route, fields) {
            Named::Mailbox(mailbox) => claims.covers(mailbox),
            Named::Every => claims.covers_all(),
            Named::Nothing => true,
            Named::EachItem => items.iter().all(|item| claims.covers(item.get("receiver").unwrap_or(""))),
        };
    if allowed {
        Ok(())
    } else {
        Err(forbidden(format, op))
    }
}

/// The scope check against storage, for routes that act on a message by mid:
/// the message's own mailbox must be covered. A mid with no record is refused
/// too (unless the token covers every mailbox), so a scoped token cannot tell a
/// foreign message from a missing one.
pub(super) async fn permit_stored<S: Storage, R: Random>(
    server: &Server<S, R>,
    checked: &Checked,
) -> Result<(), HttpResponse> {
    let Access::Scoped(claims) = &checked.access else {
        return Ok(());
    };
    let Some(mid) = message_of(checked.route, &checked.fields) else {
        return Ok(());
    };
    match covers_stored(server, claims, &mid).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(forbidden(checked.format, op_of(checked.route))),
        Err(err) => Err(reply::error(checked.format, &err)),
    }
}

/// For a batch item acting on `mid`: `Ok(false)` when the request's token may
/// not touch that message ([`forbidden_item`] says so), by the same rule as
/// [`permit_stored`].
pub(super) async fn may_touch<S: Storage, R: Random>(
    server: &Server<S, R>,
    access: &Access,
    mid: &Key,
) -> crate::Result<bool> {
    match access {
        Access::Full => Ok(true),
        Access::Scoped(claims) => covers_stored(server, claims, mid).await,
    }
}

/// The error of a batch item [`may_touch`] refused, for its per-item result.
pub(super) fn forbidden_item(route: Route) -> (&'static str, String) {
    (reply::FORBIDDEN, format!("forbidden: the token does not allow {} on this mailbox", op_of(route).name()))
}

async fn covers_stored<S: Storage, R: Random>(
    server: &Server<S, R>,
    claims: &Claims,
    mid: &Key,
) -> crate::Result<bool> {
    Ok(match server.mailbox_of(mid).await? {
        Some(mailbox) => claims.covers(&mailbox),
        None => claims.covers_all(),
    })
}

fn forbidden(format: Format, op: Op) -> HttpResponse {
    let message = format!("forbidden: the token does not allow {} on this mailbox", op.name());
    reply::failure(format, 403, reply::FORBIDDEN, &message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::{mint, Ops, SigningKeys};

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn with_token(token: &str) -> HttpOptions {
        HttpOptions { token: Some(token.into()), ..HttpOptions::default() }
    }

    fn ok(options: &HttpOptions, header: Option<&str>) -> bool {
        authenticate(options, 0, header).is_ok()
    }

    #[test]
    fn open_when_nothing_is_configured() {
        let open = HttpOptions::default();
        assert_eq!(authenticate(&open, 0, None), Ok(Access::Full));
        assert!(ok(&open, Some("Bearer anything")));
    }

    #[test]
    fn needs_the_exact_token() {
        let options = with_token("s3cret");
        let ok = |h: &str| ok(&options, Some(h));
        assert!(ok("Bearer s3cret"));
        assert!(ok("bearer s3cret"));
        assert!(ok("  BEARER   s3cret "));
        assert!(ok("Bearer\ts3cret"));
        assert!(!ok("Bearer s3cre"));
        assert!(!ok("Bearer s3cret2"));
        assert!(!ok("Basic s3cret"));
        assert!(!ok("Bearer"));
        assert!(!ok("s3cret"));
        assert!(!ok("Bearer s3cret, Bearer s3cret"), "two headers joined");
        assert!(!ok("Bearer s3cret,"));
        assert!(!ok("Bearer s3 cret"));
        assert!(authenticate(&options, 0, None).is_err());
    }

    #[test]
    fn empty_configured_token_matches_nothing() {
        let options = with_token("");
        assert!(!ok(&options, Some("Bearer ")));
        assert!(!ok(&options, Some("Bearer x")));
    }

    #[test]
    fn scoped_tokens_need_a_configured_key() {
        let claims = Claims { mailbox: "a".into(), ops: Ops::parse(["send"]).unwrap(), expires: 10 };
        let token = mint(&claims, "k1", SECRET).unwrap();
        let header = format!("Bearer {token}");
        let mut keys = SigningKeys::new();
        keys.insert("k1", SECRET).unwrap();
        let options = HttpOptions { signing_keys: keys, ..HttpOptions::default() };
        assert_eq!(authenticate(&options, 10, Some(&header)), Ok(Access::Scoped(claims)));
        assert!(authenticate(&options, 11, Some(&header)).is_err(), "expired");
        // A full-access token alone does not make scoped tokens valid.
        assert!(!ok(&with_token("s3cret"), Some(&header)));
    }

    #[test]
    fn every_route_has_an_operation() {
        assert_eq!(op_of(Route::Send), Op::Send);
        assert_eq!(op_of(Route::SendBatch), Op::Send);
        assert_eq!(op_of(Route::AckBatch), Op::Consume);
        assert_eq!(op_of(Route::Fetch), Op::Consume);
        for consume in [Route::Ack, Route::Extend, Route::Peek, Route::Stats] {
            assert_eq!(op_of(consume), Op::Consume);
        }
        for admin in [Route::Headers, Route::FetchBlob, Route::Reenqueue, Route::Cancel, Route::Redrive, Route::Purge] {
            assert_eq!(op_of(admin), Op::Admin);
        }
    }
}
