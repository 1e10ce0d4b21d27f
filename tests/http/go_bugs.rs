//! One test per numbered bug of the Go original (README, "Differences from the Go original") that the
//! HTTP API can show, each asserting the fixed behaviour.

use crate::support::*;
use pandora_mq::http::{handle, HttpOptions};
use pandora_mq::{Config, MemoryStorage, SeededRandom, Server};

#[test]
fn bug_01_lid_is_random_not_derived_from_the_lease_end() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x");
    api.send("sender=a@x&receiver=c@x");
    let b = api.fetch("b@x").unwrap();
    let c = api.fetch("c@x").unwrap();
    // Same lease end, different lids: the time alone does not make the lid.
    assert_eq!(b.get("leasedUntil"), c.get("leasedUntil"));
    let (lb, lc) = (b.get("lid").unwrap(), c.get("lid").unwrap());
    assert_ne!(lb, lc);
    for lid in [lb, lc] {
        // 128 random bits in hex, then where the lease's delivery entry is.
        assert_eq!(lid.len(), 43);
        assert!(lid[..32].bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(lid, sha1_hex(b.get("leasedUntil").unwrap()));
    }
}

#[test]
fn bug_02_status_code_is_decimal() {
    let api = Api::new();
    let mid = api.send("sender=a@x&receiver=b@x");
    let lid = api.fetch("b@x").unwrap().get("lid").unwrap().to_owned();
    let before = api.snapshot();
    for code in ["81", "82", "0x1", "01x", "257", "-1", "1.0"] {
        assert_error(&api.ack(&mid, &lid, code), 400, "unknown_status");
    }
    assert_eq!(api.snapshot(), before, "81 confirmed nothing, 82 rejected nothing");
    assert_eq!(api.ack(&mid, &lid, "1").status, 200);
}

#[test]
fn bug_03_identical_send_is_idempotent() {
    let api = Api::admin();
    let send = "sender=a@x&receiver=b@x&clientTime=2026-01-01T00:00:00Z&topic=once";
    let mid = api.send(send);
    let again = api.call(req("POST", "/send").form(send).accept_json());
    assert_eq!(again.status, 200, "never a 500");
    assert_eq!(again.text(), format!(r#"{{"mid":"{mid}","duplicate":true}}"#));
    assert_eq!(api.get("/admin/headers", "receiver=b@x").text().matches("\"mid\"").count(), 1);
    // Confirmed: still a duplicate inside the 5-minute dedupe window...
    let lid = api.fetch("b@x").unwrap().get("lid").unwrap().to_owned();
    assert_eq!(api.ack(&mid, &lid, "1").status, 200);
    assert_eq!(api.send(send), mid);
    assert!(api.fetch("b@x").is_none());
    // ...and sendable again after it (Go could never send a confirmed body again).
    // The window closes 5 minutes after the end of the (default 5-minute) lease
    // the confirm settled.
    api.advance(5 * MINUTE + 5 * MINUTE);
    let reply = api.call(req("POST", "/send").form(send).accept_json());
    assert_eq!(reply.text(), format!(r#"{{"mid":"{mid}","duplicate":false}}"#));
    assert_eq!(api.fetch("b@x").unwrap().get("mid"), Some(mid.as_str()));
}

#[test]
fn bug_04_body_size_limit_is_enforced() {
    let api = Api::new();
    let head = "clientTime=2026-01-01T00%3A00%3A00Z&p-server=Pandora-Default-Server&receiver=b%40x&sender=a%40x&x=";
    let send = |pad: usize| {
        let form = format!("sender=a@x&receiver=b@x&clientTime=2026-01-01T00:00:00Z&x={}", "a".repeat(pad));
        api.post("/send", &form)
    };
    assert_eq!(send(4096 - head.len()).status, 200, "exactly 4096 bytes fits");
    let reply = send(4096 - head.len() + 1);
    assert_error(&reply, 400, "message_too_big");
    assert!(reply.form().get("error").unwrap().contains("4097 bytes"));
    assert_error(&send(200 * 1024), 400, "message_too_big");
}

#[test]
fn bug_05_concurrent_fetches_deliver_once() {
    let server = Server::new(Yielding(MemoryStorage::new()), SeededRandom::new(1), Config::default()).unwrap();
    let options = HttpOptions::default();
    let send = req("POST", "/send").form("sender=a@x&receiver=b@x");
    assert_eq!(futures_executor::block_on(handle(&server, NOW, &options, &send)).status, 200);
    let fetch = req("POST", "/fetch").form("receiver=b@x");
    let (a, b) = join2(handle(&server, NOW, &options, &fetch), handle(&server, NOW, &options, &fetch));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 204]);
}

#[test]
fn bug_06_concurrent_first_sends_to_a_new_mailbox_are_both_fetchable() {
    let server = Server::new(Yielding(MemoryStorage::new()), SeededRandom::new(1), Config::default()).unwrap();
    let options = HttpOptions::default();
    let one = req("POST", "/send").form("sender=a@x&receiver=new@x&n=1");
    let two = req("POST", "/send").form("sender=a@x&receiver=new@x&n=2");
    let (a, b) = join2(handle(&server, NOW, &options, &one), handle(&server, NOW, &options, &two));
    assert_eq!((a.status, b.status), (200, 200));
    let fetch = req("POST", "/fetch").form("receiver=new@x");
    let mut mids: Vec<String> = (0..2)
        .map(|_| {
            let reply = futures_executor::block_on(handle(&server, NOW, &options, &fetch));
            assert_eq!(reply.status, 200);
            reply.form().get("mid").unwrap().to_owned()
        })
        .collect();
    let mut sent = vec![a.form().get("mid").unwrap().to_owned(), b.form().get("mid").unwrap().to_owned()];
    mids.sort();
    sent.sort();
    assert_eq!(mids, sent);
}

#[test]
fn bug_07_failed_sends_store_nothing_and_blobs_are_collected() {
    let api = Api::admin();
    for form in [
        format!("sender=a@x&receiver=b@x&x={}", "a".repeat(5000)),
        "sender=a@x&receiver=b@x&mid=x".to_owned(),
        "sender=a@x&receiver=b@x&delay=-1s".to_owned(),
        "sender=a@x&receiver=b@x&clientTime=now".to_owned(),
        format!("sender=a@x&receiver={}", "r".repeat(256)),
    ] {
        assert_eq!(api.post("/send", &form).status, 400);
    }
    assert!(api.snapshot().is_empty(), "no blob from a failed send");
    let mid = api.send("sender=a@x&receiver=b@x");
    let lid = api.fetch("b@x").unwrap().get("lid").unwrap().to_owned();
    assert_eq!(api.ack(&mid, &lid, "1").status, 200);
    assert_eq!(api.get("/admin/fetchBlob", &format!("mid={mid}")).status, 404);
    // The body lives in the message record, kept for the dedupe window after the
    // lease the confirm settled, then collected.
    api.advance(5 * MINUTE + 5 * MINUTE);
    assert_eq!(api.get("/admin/reenqueue", "").status, 200);
    assert!(api.snapshot().is_empty(), "the body was collected: {:?}", api.snapshot().keys());
}

#[test]
fn bug_08_times_are_utc_whatever_the_client_zone() {
    let api = Api::admin();
    api.send("sender=a@x&receiver=b@x&clientTime=2025-12-31T19:00:00-05:00");
    let text = api.get("/admin/headers", "receiver=b@x&receivedat=2026-11-25T08:00:00-05:00").text();
    assert!(text.contains(r#""clientTime":["2026-01-01T00:00:00Z"]"#), "{text}");
    let got = api.fetch("b@x").unwrap();
    assert_eq!(got.get("clientTime"), Some("2026-01-01T00:00:00Z"));
    for field in ["leasedUntil", "receivedAt", "sendWhen", "clientTime"] {
        assert!(got.get(field).unwrap().ends_with('Z'), "{field}");
    }
}

#[test]
fn bug_09_delivery_count_timeout_and_reject_backoff() {
    let api = Api::admin();
    let mid = api.send("sender=a@x&receiver=b@x");
    let first = api.post("/fetch", "receiver=b@x&leaseTime=1s").form();
    assert_eq!(first.get("deliveryCount"), Some("1"), "counts this delivery");
    api.advance(SECOND + 1);
    // Listed again once reenqueue released it (a leased message is not listed).
    assert_eq!(api.get("/admin/reenqueue", "").status, 200);
    let listing = api.get("/admin/headers", "receiver=b@x").text();
    assert!(listing.contains(r#""status":["timeout"]"#), "an expired lease shows timeout: {listing}");
    let second = api.fetch("b@x").unwrap();
    assert_eq!(second.get("status"), Some("timeout"));
    assert_eq!(second.get("deliveryCount"), Some("2"));
    let lid = second.get("lid").unwrap();
    let reply = api.post("/ack", &format!("mid={mid}&lid={lid}&statusCode=2&retryDelay=10s"));
    assert_eq!(reply.status, 200);
    assert!(api.fetch("b@x").is_none(), "a reject can back off");
    api.advance(10 * SECOND);
    assert_eq!(api.fetch("b@x").unwrap().get("deliveryCount"), Some("3"));
}

#[test]
fn bug_10_client_mistakes_are_400_not_500() {
    let api = Api::admin();
    let mid = api.send("sender=a@x&receiver=b@x");
    let lid = api.post("/fetch", "receiver=b@x&leaseTime=1s").form().get("lid").unwrap().to_owned();
    assert_error(&api.ack(&mid, "wrong", "1"), 400, "lock_mismatch");
    assert_error(&api.ack(&mid, &lid, "9"), 400, "unknown_status");
    assert_error(&api.ack("xyz", &lid, "1"), 400, "invalid_key");
    assert_error(&api.post("/send", "sender=a@x&receiver=b@x&x=%G1"), 400, "bad_request");
    api.advance(SECOND + 1);
    assert_error(&api.ack(&mid, &lid, "1"), 400, "lease_expired");
    // Missing receivedat: a listing from the beginning, not an error.
    api.send("sender=a@x&receiver=b@x&n=2");
    assert_eq!(api.get("/admin/headers", "receiver=b@x").status, 200);
}

#[test]
fn bug_11_errors_name_the_real_problem() {
    let api = Api::new();
    let reply = api.post("/fetch", "receiver=nobody@x");
    assert_eq!(reply.status, 204, "an unknown receiver is an empty mailbox, not 'sender not found'");
    let reply = api.ack(&"a".repeat(42), "x", "1");
    assert_error(&reply, 400, "invalid_key");
    let error = reply.form().get("error").unwrap().to_owned();
    assert!(error.contains("expected 40 hex digits, got 42"), "{error}");
    assert!(!error.contains("too short"), "{error}");
}

#[test]
fn bug_12_methods_are_enforced_with_allow_and_json_is_labelled() {
    let api = Api::admin();
    for (method, path, allow) in [
        ("GET", "/ack", "POST"),
        ("POST", "/admin/headers", "GET"),
        ("DELETE", "/admin/fetchBlob", "GET"),
        ("PUT", "/admin/reenqueue", "GET, POST"),
    ] {
        let reply = api.call(req(method, path));
        assert_eq!(reply.status, 405);
        assert_eq!(reply.header("allow"), Some(allow));
    }
    api.send("sender=a@x&receiver=b@x");
    let reply = api.get("/admin/headers", "receiver=b@x");
    assert_eq!(reply.content_type(), Some("application/json"));
}

#[test]
fn bug_13_p_server_is_not_duplicated_and_bad_inputs_are_refused() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x&p-server=Evil");
    let got = api.fetch("b@x").unwrap();
    assert_eq!(got.get_all("p-server").collect::<Vec<_>>(), ["Pandora-Default-Server"]);
    assert_error(&api.post("/send", "sender=a@x&receiver=b@x&clientTime=garbage"), 400, "invalid_time");
    assert_error(&api.post("/send", "sender=a@x&receiver=b@x&delay=garbage"), 400, "invalid_duration");
    assert_error(&api.post("/fetch", "receiver=b@x&leaseTime=garbage"), 400, "invalid_duration");
}

#[test]
fn bug_14_fetch_touches_one_message_and_admin_is_closed_by_default() {
    let api = Api::new();
    for i in 0..50 {
        api.send(&format!("sender=a@x&receiver=b@x&n={i}"));
    }
    let before = api.snapshot();
    let mid = api.fetch("b@x").unwrap().get("mid").unwrap().to_owned();
    let after = api.snapshot();
    let changed: Vec<&String> = before.keys().chain(after.keys()).filter(|k| before.get(*k) != after.get(*k)).collect();
    assert!(!changed.is_empty());
    let mid_digits = pandora_mq::layout::message(&pandora_mq::Key::parse(&mid).unwrap())[1..].to_string();
    assert!(changed.iter().all(|k| k.ends_with(&mid_digits)), "only the fetched message changed: {changed:?}");
    assert_error(&api.get("/admin/headers", "receiver=b@x"), 404, "not_found");
}
