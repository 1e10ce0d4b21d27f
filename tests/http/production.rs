//! The production routes: extend, cancel, peek, stats, fetch with `max` and
//! `wait`, admin redrive and purge; each with form and JSON, and bad input
//! refused with its code and nothing changed.

use crate::support::*;

/// Sends `n` messages to b@x and returns their mids.
fn sent(api: &Api, n: usize) -> Vec<String> {
    (0..n).map(|i| api.send(&format!("sender=a@x&receiver=b@x&n={i}"))).collect()
}

fn leased(api: &Api) -> (String, String) {
    let mid = sent(api, 1).remove(0);
    let got = api.post("/fetch", "receiver=b@x&leaseTime=1m").form();
    (mid, got.get("lid").unwrap().to_owned())
}

fn json(api: &Api, method: &str, path: &str, form: &str) -> HttpResponse {
    api.call(req(method, path).form(form).accept_json())
}

use pandora_mq::http::HttpResponse;

#[test]
fn extend_renews_the_lease_form_and_json() {
    let api = Api::new();
    let (mid, lid) = leased(&api);
    api.advance(50 * SECOND);
    let reply = api.post("/extend", &format!("mid={mid}&lid={lid}&leaseTime=2m"));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.form().get("leasedUntil"), Some("2026-11-25T13:55:10.289Z"));
    // Past the first lease's end the message is still held.
    api.advance(30 * SECOND);
    assert!(api.fetch("b@x").is_none());
    let reply = json(&api, "POST", "/extend", &format!("mid={mid}&lid={lid}&leaseTime=1m"));
    assert_eq!(reply.text(), r#"{"leasedUntil":"2026-11-25T13:54:40.289Z"}"#);
}

#[test]
fn extend_with_bad_input_changes_nothing() {
    let api = Api::new();
    let (mid, lid) = leased(&api);
    let before = api.snapshot();
    let wrong = "a".repeat(lid.len());
    assert_error(&api.post("/extend", &format!("mid={mid}&lid={wrong}&leaseTime=1m")), 400, "lock_mismatch");
    assert_error(&api.post("/extend", &format!("mid={mid}&lid={lid}&leaseTime=13h")), 400, "out_of_range");
    assert_error(&api.post("/extend", &format!("mid={mid}&lid={lid}")), 400, "bad_request");
    assert_error(&api.post("/extend", &format!("mid=zz&lid={lid}&leaseTime=1m")), 400, "invalid_key");
    assert_eq!(api.snapshot(), before);
    api.advance(2 * MINUTE);
    assert_error(&api.post("/extend", &format!("mid={mid}&lid={lid}&leaseTime=1m")), 400, "lease_expired");
    assert_error(&api.get("/extend", ""), 405, "method_not_allowed");
}

#[test]
fn cancel_removes_a_pending_message_once() {
    let api = Api::new();
    let (mid, lid) = leased(&api);
    let reply = api.post("/cancel", &format!("receiver=b@x&mid={mid}"));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.form().get("cancelled"), Some("true"));
    let again = json(&api, "POST", "/cancel", &format!("receiver=b@x&mid={mid}"));
    assert_eq!(again.text(), r#"{"cancelled":false}"#);
    assert_error(&api.ack(&mid, &lid, "1"), 400, "not_found");
    api.advance(10 * MINUTE);
    assert!(api.fetch("b@x").is_none());
    assert_error(&api.post("/cancel", "receiver=b@x&mid=12"), 400, "invalid_key");
}

#[test]
fn stats_counts_exactly_form_and_json() {
    let api = Api::new();
    sent(&api, 3);
    api.send("sender=a@x&receiver=b@x&delay=1h&late=1");
    api.fetch("b@x").unwrap();
    let reply = api.get("/stats", "receiver=b@x");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let form = reply.form();
    assert_eq!(
        (form.get("ready"), form.get("delayed"), form.get("leased"), form.get("dead")),
        (Some("2"), Some("1"), Some("1"), Some("0"))
    );
    assert!(form.get("bytes").unwrap().parse::<u64>().unwrap() > 0);
    assert_eq!(form.get("oldestReady"), Some(NOW.to_string().as_str()));
    let empty = api.call(req("GET", "/stats").query("receiver=c@x").accept_json());
    assert_eq!(empty.text(), r#"{"ready":0,"delayed":0,"leased":0,"dead":0,"bytes":0,"oldestReady":null}"#);
    assert_error(&api.get("/stats", ""), 400, "invalid_mailbox");
}

#[test]
fn peek_shows_without_leasing() {
    let api = Api::new();
    let mids = sent(&api, 3);
    let before = api.snapshot();
    let reply = api.get("/peek", "receiver=b@x&limit=2");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let text = reply.text();
    assert!(text.starts_with('[') && text.contains(r#""lid":"""#), "{text}");
    assert_eq!(text.matches(r#""mid":"#).count(), 2);
    assert_eq!(api.snapshot(), before, "peek writes nothing");
    let first = api.fetch("b@x").unwrap().get("mid").unwrap().to_owned();
    assert!(mids.contains(&first) && text.contains(&first), "peek shows what fetch takes next");
    assert_eq!(api.get("/peek", "receiver=c@x").text(), "[]");
    assert_error(&api.get("/peek", "receiver=b@x&limit=0"), 400, "out_of_range");
    assert_error(&api.get("/peek", "receiver=b@x&limit=101"), 400, "out_of_range");
}

#[test]
fn fetch_with_max_is_a_json_array() {
    let api = Api::new();
    sent(&api, 3);
    let reply = api.post("/fetch", "receiver=b@x&max=2&leaseTime=1m");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.content_type(), Some("application/json"));
    let text = reply.text();
    assert_eq!(text.matches(r#""lid":""#).count(), 2);
    let one = api.post("/fetch", "receiver=b@x&max=1");
    assert_eq!(one.text().matches(r#""mid":"#).count(), 1);
    assert_eq!(api.post("/fetch", "receiver=b@x&max=5").text(), "[]");
    let before = api.snapshot();
    for bad in ["max=0", "max=101", "max=", "max=x", "wait=21s", "wait=-1s"] {
        assert_error(&api.post("/fetch", &format!("receiver=b@x&{bad}")), 400, "out_of_range");
    }
    assert_eq!(api.snapshot(), before);
    // A Go-style form fetch keeps its form reply, with or without a wait.
    api.advance(2 * MINUTE);
    let reply = api.post("/fetch", "receiver=b@x&wait=0");
    assert_eq!(reply.status, 200);
    assert!(reply.form().get("lid").is_some());
}

#[test]
fn redrive_and_purge_are_admin_routes() {
    let api = Api::new();
    assert_eq!(api.post("/admin/purge", "receiver=b@x").status, 404);
    assert_eq!(api.post("/admin/redrive", "receiver=b@x").status, 404);
    let api = Api::admin();
    sent(&api, 3);
    assert_eq!(api.post("/admin/redrive", "receiver=b@x").form().get("moved"), Some("0"));
    assert_eq!(json(&api, "POST", "/admin/purge", "receiver=b@x&status=dead").text(), r#"{"deleted":0}"#);
    let before = api.snapshot();
    assert_error(&api.post("/admin/purge", "receiver=b@x&status=ready"), 400, "bad_request");
    assert_error(&api.post("/admin/redrive", "receiver=b@x&limit=0"), 400, "out_of_range");
    assert_eq!(api.snapshot(), before);
    assert_eq!(api.post("/admin/purge", "receiver=b@x").form().get("deleted"), Some("3"));
    assert!(api.fetch("b@x").is_none());
}

/// An admin API whose messages die on their first failed delivery.
fn dying() -> Api {
    let config = pandora_mq::Config { max_deliveries: 1, ..pandora_mq::Config::default() };
    let server =
        pandora_mq::Server::new(pandora_mq::MemoryStorage::new(), pandora_mq::SeededRandom::new(1), config).unwrap();
    let options = pandora_mq::http::HttpOptions { admin: true, ..Default::default() };
    Api { server, options, now: std::cell::Cell::new(NOW) }
}

#[test]
fn dead_letters_are_listed_counted_redriven_and_purged() {
    let api = dying();
    let (mid, lid) = leased(&api);
    assert_eq!(api.ack(&mid, &lid, "2").status, 200);
    assert!(api.fetch("b@x").is_none(), "dead: never delivered");
    assert_eq!(api.get("/admin/headers", "receiver=b@x").status, 204, "not pending");
    let dead = api.get("/admin/headers", "receiver=b@x&status=dead");
    assert_eq!(dead.status, 200, "{}", dead.text());
    assert!(dead.text().contains(&format!(r#""mid":["{mid}"]"#)), "{}", dead.text());
    assert!(dead.text().contains(r#""status":["dead"]"#), "{}", dead.text());
    let stats = api.call(req("GET", "/stats").query("receiver=b@x").accept_json());
    assert!(stats.text().contains(r#""dead":1"#), "{}", stats.text());
    let before = api.snapshot();
    assert_error(&api.get("/admin/headers", "receiver=b@x&status=gone"), 400, "bad_request");
    assert_eq!(api.snapshot(), before);

    assert_eq!(api.post("/admin/redrive", "receiver=b@x").form().get("moved"), Some("1"));
    assert_eq!(api.get("/admin/headers", "receiver=b@x&status=dead").status, 204);
    let again = api.fetch("b@x").expect("redriven: due again");
    assert_eq!((again.get("mid"), again.get("deliveryCount")), (Some(mid.as_str()), Some("1")));
    // Its lease runs out: dead again, and purged with status=dead alone.
    api.advance(6 * MINUTE);
    assert!(api.fetch("b@x").is_none());
    sent(&api, 1);
    assert_eq!(api.post("/admin/purge", "receiver=b@x&status=dead").form().get("deleted"), Some("1"));
    assert_eq!(api.get("/admin/headers", "receiver=b@x&status=dead").status, 204);
    assert!(api.fetch("b@x").is_some(), "the ready message stays");
}
