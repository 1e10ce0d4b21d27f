//! Scoped tokens over HTTP: the hostile-token table (each one 401 or 403, and
//! storage unchanged), the scope of every route, and key rotation.

use crate::support::*;
use pandora_mq::http::{HttpOptions, HttpRequest};
use pandora_mq::token::{mint, Claims, Ops, SigningKeys};

const FULL: &str = "full-access-token";
const SECRET: &[u8] = b"k1: thirty-two bytes or more of secret";
const SECRET2: &[u8] = b"k2: another secret, also long enough";

fn keys(list: &[(&str, &[u8])]) -> SigningKeys {
    let mut keys = SigningKeys::new();
    for (kid, secret) in list {
        keys.insert(kid, secret).unwrap();
    }
    keys
}

fn options(signing_keys: SigningKeys) -> HttpOptions {
    HttpOptions { admin: true, token: Some(FULL.into()), signing_keys, ..HttpOptions::default() }
}

fn token(mailbox: &str, ops: &[&str], expires: i64, kid: &str, secret: &[u8]) -> String {
    let claims = Claims { mailbox: mailbox.into(), ops: Ops::parse(ops.iter().copied()).unwrap(), expires };
    mint(&claims, kid, secret).unwrap()
}

/// A valid k1 token for `mailbox` and `ops`, an hour long.
fn scoped(mailbox: &str, ops: &[&str]) -> String {
    token(mailbox, ops, NOW + 3_600_000, "k1", SECRET)
}

fn bearer(request: HttpRequest, token: &str) -> HttpRequest {
    request.authorization(&format!("Bearer {token}"))
}

/// `token` with the character at `i` replaced by another base64url character.
fn altered(token: &str, i: usize) -> String {
    let mut bytes = token.as_bytes().to_vec();
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

/// Mailboxes `a`, `ab` and `b` with one message each, `a`'s and `b`'s leased.
struct World {
    api: Api,
    mid_a: String,
    lid_a: String,
    mid_b: String,
    lid_b: String,
}

fn world() -> World {
    let api = Api::with_options(options(keys(&[("k1", SECRET), ("k2", SECRET2)])));
    let full = |r: HttpRequest| api.call(bearer(r, FULL));
    let mut mids = Vec::new();
    for receiver in ["a", "ab", "b"] {
        let reply = full(req("POST", "/send").form(&format!("sender=s&receiver={receiver}&n=1")));
        assert_eq!(reply.status, 200, "{}", reply.text());
        mids.push(reply.form().get("mid").unwrap().to_owned());
    }
    let lid = |receiver: &str| {
        let reply = full(req("POST", "/fetch").form(&format!("receiver={receiver}&leaseTime=1h")));
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.form().get("lid").unwrap().to_owned()
    };
    let (lid_a, lid_b) = (lid("a"), lid("b"));
    World { mid_a: mids[0].clone(), mid_b: mids[2].clone(), lid_a, lid_b, api }
}

impl World {
    /// One request of every route, each naming mailbox `b` (or its message).
    fn every_route_on_b(&self) -> Vec<(&'static str, HttpRequest)> {
        let (mid, lid) = (&self.mid_b, &self.lid_b);
        vec![
            ("send", req("POST", "/send").form("sender=s&receiver=b&n=2")),
            ("fetch", req("POST", "/fetch").form("receiver=b")),
            ("ack", req("POST", "/ack").form(&format!("mid={mid}&lid={lid}&statusCode=1"))),
            ("headers", req("GET", "/admin/headers").query("receiver=b")),
            ("fetchBlob", req("GET", "/admin/fetchBlob").query(&format!("mid={mid}"))),
            ("reenqueue", req("POST", "/admin/reenqueue")),
        ]
    }

    /// Sends `request` and asserts the refusal, and that storage is as it was.
    #[track_caller]
    fn refused(&self, case: &str, request: HttpRequest, status: u16) {
        let before = self.api.snapshot();
        let reply = self.api.call(request);
        let code = if status == 401 { "unauthorized" } else { "forbidden" };
        assert_eq!(reply.status, status, "{case}: {}", reply.text());
        assert_error(&reply, status, code);
        assert_eq!(self.api.snapshot(), before, "{case}: storage changed");
    }
}

#[test]
fn hostile_tokens_are_401_on_every_route_and_touch_nothing() {
    let w = world();
    let good = scoped("b", &["send", "consume", "admin"]);
    let payload_at = "pmq1.k1.".len();
    let signature_at = good.rfind('.').unwrap() + 1;
    let hostile = [
        ("expired by 1 ms", token("b", &["send", "consume", "admin"], NOW - 1, "k1", SECRET)),
        ("unknown kid", token("b", &["send", "consume", "admin"], NOW + 1000, "k9", SECRET)),
        ("payload altered by one character", altered(&good, payload_at + 2)),
        ("signature altered by one character", altered(&good, signature_at + 5)),
        ("signature's last character altered", altered(&good, good.len() - 1)),
        ("truncated by one character", good[..good.len() - 1].to_owned()),
        ("truncated to its payload", good[..signature_at - 1].to_owned()),
        ("signed with another secret", token("b", &["send", "consume", "admin"], NOW + 1000, "k1", SECRET2)),
        ("garbage", "pmq1.k1.%%%.%%%".to_owned()),
    ];
    for (case, token) in &hostile {
        for (route, request) in w.every_route_on_b() {
            w.refused(&format!("{case}, {route}"), bearer(request, token), 401);
        }
    }
    for (route, request) in w.every_route_on_b() {
        // Empty, no header, two headers joined by the host, the token only in the query string.
        w.refused(&format!("empty, {route}"), request.clone().authorization("Bearer "), 401);
        w.refused(&format!("no header, {route}"), request.clone(), 401);
        let twice = format!("Bearer {good}, Bearer {good}");
        w.refused(&format!("two headers, {route}"), request.clone().authorization(&twice), 401);
        let mut in_query = request;
        in_query.query =
            format!("{}{}access_token={good}", in_query.query, if in_query.query.is_empty() { "" } else { "&" });
        w.refused(&format!("token in the query, {route}"), in_query, 401);
    }
    // The untouched token works, with the scheme in any case: the table tested the tokens, not the routes.
    // (b's one message is leased, so the listing is empty: 204, not 401.)
    let reply = w.api.call(req("GET", "/admin/headers").query("receiver=b").authorization(&format!("bearer {good}")));
    assert_eq!(reply.status, 204, "{}", reply.text());
}

#[test]
fn tokens_outside_their_scope_are_403_and_touch_nothing() {
    let w = world();
    let all = ["send", "consume", "admin"];
    // A token for `a` on `ab`, and `a*` on `b`.
    for (case, token, receiver) in [("a on ab", scoped("a", &all), "ab"), ("a* on b", scoped("a*", &all), "b")] {
        for (route, request) in [
            ("send", req("POST", "/send").form(&format!("sender=s&receiver={receiver}"))),
            ("fetch", req("POST", "/fetch").form(&format!("receiver={receiver}"))),
            ("headers", req("GET", "/admin/headers").query(&format!("receiver={receiver}"))),
        ] {
            w.refused(&format!("{case}, {route}"), bearer(request, &token), 403);
        }
    }
    // A send-only token on every consume and admin route.
    let send_only = scoped("b", &["send"]);
    for (route, request) in w.every_route_on_b().into_iter().filter(|(r, _)| *r != "send") {
        w.refused(&format!("send-only, {route}"), bearer(request, &send_only), 403);
    }
    // A consume token on send, and on the admin routes.
    let consume = scoped("b", &["consume"]);
    for (route, request) in w.every_route_on_b().into_iter().filter(|(r, _)| !matches!(*r, "fetch" | "ack")) {
        w.refused(&format!("consume-only, {route}"), bearer(request, &consume), 403);
    }
    // b's own mid and lid, with a token for a: the message's mailbox decides.
    let for_a = scoped("a", &all);
    let ack_b = format!("mid={}&lid={}&statusCode=1", w.mid_b, w.lid_b);
    w.refused("ack of b's lid with a's token", bearer(req("POST", "/ack").form(&ack_b), &for_a), 403);
    let blob_b = format!("receiver=a&mid={}", w.mid_b);
    w.refused("b's blob named under a", bearer(req("GET", "/admin/fetchBlob").query(&blob_b), &for_a), 403);
    // A mid nobody stored is refused the same way: a scoped token cannot probe for mids.
    let unknown = format!("mid={}&lid={}&statusCode=1", "0".repeat(40), w.lid_a);
    w.refused("ack of an unknown mid", bearer(req("POST", "/ack").form(&unknown), &for_a), 403);
    // Reenqueue touches every mailbox: a prefix is not enough.
    w.refused("reenqueue with a*", bearer(req("POST", "/admin/reenqueue"), &scoped("a*", &all)), 403);
}

#[test]
fn a_token_does_what_it_allows() {
    let w = world();
    let call = |request: HttpRequest, token: &str| w.api.call(bearer(request, token));
    let sender = scoped("a*", &["send"]);
    assert_eq!(call(req("POST", "/send").form("sender=s&receiver=ab&n=2"), &sender).status, 200);
    assert_eq!(call(req("POST", "/send").form("sender=s&receiver=a&n=2"), &sender).status, 200);
    let consumer = scoped("a", &["consume"]);
    let ack = format!("mid={}&lid={}&statusCode=1", w.mid_a, w.lid_a);
    assert_eq!(call(req("POST", "/ack").form(&ack), &consumer).status, 200);
    let next = call(req("POST", "/fetch").form("receiver=a"), &consumer);
    assert_eq!(next.status, 200, "{}", next.text());
    assert_eq!(next.form().get("n"), Some("2"));
    let admin = scoped("b", &["admin"]);
    // b's one message is leased: allowed, and nothing to list.
    assert_eq!(call(req("GET", "/admin/headers").query("receiver=b"), &admin).status, 204);
    let blob = call(req("GET", "/admin/fetchBlob").query(&format!("mid={}", w.mid_b)), &admin);
    assert_eq!(blob.status, 200, "{}", blob.text());
    let everywhere = scoped("*", &["admin"]);
    assert_eq!(call(req("POST", "/admin/reenqueue"), &everywhere).status, 200);
    // The full-access token keeps working beside the keys.
    assert_eq!(call(req("POST", "/fetch").form("receiver=ab"), FULL).status, 200);
}

#[test]
fn rotation_accepts_a_kid_while_listed_and_refuses_it_once_removed() {
    let old = token("b", &["admin"], NOW + 1000, "k1", SECRET);
    let new = token("b", &["admin"], NOW + 1000, "k2", SECRET2);
    let headers =
        |api: &Api, token: &str| api.call(bearer(req("GET", "/admin/headers").query("receiver=b"), token)).status;
    let both = Api::with_options(options(keys(&[("k1", SECRET), ("k2", SECRET2)])));
    assert_eq!((headers(&both, &old), headers(&both, &new)), (204, 204));
    let rotated = Api::with_options(options(keys(&[("k2", SECRET2)])));
    assert_eq!(headers(&rotated, &new), 204);
    assert_error(&rotated.call(bearer(req("GET", "/admin/headers").query("receiver=b"), &old)), 401, "unauthorized");
    // Keys alone, no full-access token: scoped tokens only.
    let keys_only = Api::with_options(HttpOptions {
        admin: true,
        signing_keys: keys(&[("k2", SECRET2)]),
        ..HttpOptions::default()
    });
    assert_eq!(headers(&keys_only, &new), 204);
    assert_error(&keys_only.call(req("GET", "/admin/headers").query("receiver=b")), 401, "unauthorized");
    assert_error(&keys_only.call(bearer(req("GET", "/admin/headers").query("receiver=b"), FULL)), 401, "unauthorized");
}

#[test]
fn no_reply_echoes_the_token() {
    let w = world();
    let good = scoped("a", &["send"]);
    for token in [good.clone(), altered(&good, 10), good[..20].to_owned()] {
        for (_, request) in w.every_route_on_b() {
            let reply = w.api.call(bearer(request, &token));
            let text = reply.text();
            let payload = token.split('.').nth(2).unwrap_or(&token);
            assert!(!text.contains(payload), "{text}");
            assert!(reply.headers.iter().all(|(_, v)| !v.contains(payload)));
        }
    }
}
