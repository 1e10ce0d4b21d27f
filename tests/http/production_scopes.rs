//! The production routes with JSON request bodies, and the operation each
//! needs of a scoped token: consume for extend, peek and stats (on the
//! message's own mailbox for extend), admin for cancel, redrive and purge.

use crate::support::*;
use pandora_mq::http::{HttpOptions, HttpRequest, HttpResponse};
use pandora_mq::token::{mint, Claims, Ops, SigningKeys};

const SECRET: &[u8] = b"k1: thirty-two bytes or more of secret";

fn api() -> Api {
    let mut keys = SigningKeys::new();
    keys.insert("k1", SECRET).unwrap();
    Api::with_options(HttpOptions {
        admin: true,
        token: Some("full".into()),
        signing_keys: keys,
        ..HttpOptions::default()
    })
}

fn as_(token: &str, request: HttpRequest) -> HttpRequest {
    request.authorization(&format!("Bearer {token}"))
}

fn scoped(mailbox: &str, ops: &[&str]) -> String {
    let claims =
        Claims { mailbox: mailbox.into(), ops: Ops::parse(ops.iter().copied()).unwrap(), expires: NOW + 3_600_000 };
    mint(&claims, "k1", SECRET).unwrap()
}

/// Sends one message to `receiver` and leases it: (mid, lid).
fn leased(api: &Api, receiver: &str) -> (String, String) {
    let call = |r: HttpRequest| api.call(as_("full", r));
    let mid =
        call(req("POST", "/send").form(&format!("sender=s&receiver={receiver}"))).form().get("mid").unwrap().to_owned();
    let got = call(req("POST", "/fetch").form(&format!("receiver={receiver}&leaseTime=1m"))).form();
    (mid, got.get("lid").unwrap().to_owned())
}

#[test]
fn json_bodies_work_on_the_production_routes() {
    let api = api();
    let (mid, lid) = leased(&api, "a");
    let call = |path: &str, body: String| api.call(as_("full", req("POST", path).json(&body).accept_json()));
    let extended = call("/extend", format!(r#"{{"mid":"{mid}","lid":"{lid}","leaseTime":120000}}"#));
    assert_eq!(extended.text(), r#"{"leasedUntil":"2026-11-25T13:54:20.289Z"}"#);
    assert_eq!(call("/cancel", format!(r#"{{"receiver":"a","mid":"{mid}"}}"#)).text(), r#"{"cancelled":true}"#);
    assert_eq!(call("/admin/redrive", r#"{"receiver":"a","limit":10}"#.into()).text(), r#"{"moved":0}"#);
    assert_eq!(call("/admin/purge", r#"{"receiver":"a","status":"dead"}"#.into()).text(), r#"{"deleted":0}"#);
}

#[test]
fn each_production_route_needs_its_operation_on_its_mailbox() {
    let api = api();
    let (mid_a, lid_a) = leased(&api, "a");
    let (mid_b, lid_b) = leased(&api, "b");
    let before = api.snapshot();
    let consume_a = scoped("a", &["consume"]);
    let admin_a = scoped("a", &["admin"]);
    let send_a = scoped("a", &["send"]);
    let status = |token: &str, request: HttpRequest| -> u16 {
        let reply: HttpResponse = api.call(as_(token, request));
        reply.status
    };
    let extend = |mid: &str, lid: &str| req("POST", "/extend").form(&format!("mid={mid}&lid={lid}&leaseTime=1m"));
    let refused = [
        (&consume_a, extend(&mid_b, &lid_b)),
        (&send_a, extend(&mid_a, &lid_a)),
        (&consume_a, req("GET", "/stats").query("receiver=b")),
        (&send_a, req("GET", "/stats").query("receiver=a")),
        (&consume_a, req("GET", "/peek").query("receiver=b")),
        (&consume_a, req("POST", "/cancel").form(&format!("receiver=a&mid={mid_a}"))),
        (&consume_a, req("POST", "/admin/redrive").form("receiver=a")),
        (&consume_a, req("POST", "/admin/purge").form("receiver=a")),
        (&admin_a, req("POST", "/admin/purge").form("receiver=b")),
    ];
    for (token, request) in refused {
        let path = request.path.clone();
        assert_eq!(status(token, request), 403, "{path}");
    }
    assert_eq!(api.snapshot(), before, "refusals change nothing");
    assert_eq!(status(&consume_a, extend(&mid_a, &lid_a)), 200);
    assert_eq!(status(&consume_a, req("GET", "/stats").query("receiver=a")), 200);
    assert_eq!(status(&consume_a, req("GET", "/peek").query("receiver=a")), 200);
    assert_eq!(status(&admin_a, req("POST", "/cancel").form(&format!("receiver=a&mid={mid_a}"))), 200);
    assert_eq!(status(&admin_a, req("POST", "/admin/purge").form("receiver=a")), 200);
}
