//! `sendBatch` and `ackBatch`: JSON arrays in, per-item JSON arrays out; bad
//! input refused with its code and nothing changed; scoped tokens per item.

use crate::support::*;
use pandora_mq::http::{HttpOptions, HttpResponse};
use pandora_mq::token::{mint, Claims, Ops, SigningKeys};
use pandora_mq::{FaultyStorage, MemoryStorage};
use serde_json::{json, Value};

fn send_batch(api: &Api<impl pandora_mq::Storage>, body: &str) -> HttpResponse {
    api.call(req("POST", "/sendBatch").json(body))
}

fn ack_batch(api: &Api<impl pandora_mq::Storage>, body: &str) -> HttpResponse {
    api.call(req("POST", "/ackBatch").json(body))
}

fn value(reply: &HttpResponse) -> Value {
    assert_eq!(reply.content_type(), Some("application/json"), "{}", reply.text());
    serde_json::from_slice(&reply.body).expect("JSON reply")
}

/// The messages of `receiver`, leased with `max`, as (mid, lid, body field `n`).
fn fetch_all(api: &Api<impl pandora_mq::Storage>, receiver: &str) -> Vec<(String, String, String)> {
    let reply = api.post("/fetch", &format!("receiver={receiver}&max=100&leaseTime=1m"));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let list = value(&reply);
    list.as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let s = |k: &str| m[k].as_str().unwrap_or_default().to_owned();
            (s("mid"), s("lid"), m["body"]["n"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

#[test]
fn send_batch_enqueues_every_item_and_answers_in_input_order() {
    let api = Api::new();
    let body = r#"[
        {"sender":"a@x","receiver":"b@x","n":"0","clientTime":"2026-11-25T13:52:20.289Z"},
        {"sender":"a@x","receiver":"c@x","n":"1","delay":"1m"},
        {"sender":"a@x","receiver":"b@x","n":["2","2b"]},
        {"sender":"a@x","receiver":"b@x","n":"0","clientTime":"2026-11-25T13:52:20.289Z"}
    ]"#;
    let reply = send_batch(&api, body);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let receipts = value(&reply);
    let receipts = receipts.as_array().unwrap();
    assert_eq!(receipts.len(), 4);
    let dup: Vec<bool> = receipts.iter().map(|r| r["duplicate"].as_bool().unwrap()).collect();
    assert_eq!(dup, [false, false, false, true], "the repeat of item 0 is its duplicate");
    assert_eq!(receipts[3]["mid"], receipts[0]["mid"]);
    // Item 0 is the very message a single send of the same fields would store.
    let blob =
        "clientTime=2026-11-25T13%3A52%3A20.289Z&n=0&p-server=Pandora-Default-Server&receiver=b%40x&sender=a%40x";
    assert_eq!(receipts[0]["mid"], sha1_hex(blob));

    let b = fetch_all(&api, "b@x");
    let mids: Vec<&str> = b.iter().map(|(mid, _, _)| mid.as_str()).collect();
    assert_eq!(mids, [receipts[0]["mid"].as_str().unwrap(), receipts[2]["mid"].as_str().unwrap()]);
    assert!(fetch_all(&api, "c@x").is_empty(), "item 1 is delayed");
    api.advance(MINUTE);
    assert_eq!(fetch_all(&api, "c@x")[0].0, receipts[1]["mid"].as_str().unwrap());
}

#[test]
fn an_empty_batch_is_an_empty_array() {
    let api = Api::new();
    let reply = send_batch(&api, "[]");
    assert_eq!((reply.status, reply.text()), (200, "[]".to_owned()));
    let reply = ack_batch(&api, " [ ] ");
    assert_eq!((reply.status, reply.text()), (200, "[]".to_owned()));
}

#[test]
fn one_bad_item_refuses_the_whole_batch_naming_its_index() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x&n=before");
    let before = api.snapshot();
    let item = r#"{"sender":"a@x","receiver":"b@x","n":"1"}"#;
    let cases: Vec<(String, u16, &str, &str)> = vec![
        (format!(r#"[{item},{{"sender":"a@x","receiver":"b@x","delay":"5x"}}]"#), 400, "invalid_duration", "item 1"),
        (format!(r#"[{item},{item},{{"sender":"a@x"}}]"#), 400, "invalid_mailbox", "item 2"),
        (format!(r#"[{{"sender":"a@x","receiver":"b@x","mid":"x"}},{item}]"#), 400, "reserved_field", "item 0"),
        (format!(r#"[{item},{{"sender":"a@x","receiver":"b@x","delay":"87600h1s"}}]"#), 400, "out_of_range", "item 1"),
        (format!(r#"[{item},{{"sender":"a@x","receiver":"b@x","n":{{"nested":1}}}}]"#), 400, "bad_request", "item 1"),
        (format!(r#"[{item},"text"]"#), 400, "bad_request", "item 1"),
        (item.to_owned(), 400, "bad_request", "JSON array"),
        ("[".to_owned(), 400, "bad_request", "malformed"),
        (format!("[{}]", vec![item; 101].join(",")), 400, "bad_request", "at most 100"),
    ];
    for (body, status, code, says) in cases {
        let reply = send_batch(&api, &body);
        assert_error(&reply, status, code);
        assert!(reply.form().get("error").unwrap().contains(says), "{body}: {}", reply.text());
        assert_eq!(api.snapshot(), before, "{body}");
    }
    // More than 1 MiB of bodies in all, each item small enough on its own.
    let big = "x".repeat(20_000);
    let items: Vec<String> =
        (0..60).map(|i| format!(r#"{{"sender":"a@x","receiver":"b@x","i":"{i}","pad":"{big}"}}"#)).collect();
    assert_error(&send_batch(&api, &format!("[{}]", items.join(","))), 400, "message_too_big");
    assert_eq!(api.snapshot(), before);
}

#[test]
fn a_batch_body_must_be_json_and_posted() {
    let api = Api::new();
    let before = api.snapshot();
    // A form body is no array: the reply says what shape to send.
    let reply = api.post("/sendBatch", "sender=a@x&receiver=b@x");
    assert_error(&reply, 400, "bad_request");
    assert!(reply.text().contains("JSON+array"), "{}", reply.text());
    assert_error(&api.call(req("POST", "/sendBatch").body(Some("text/plain"), b"[]")), 415, "unsupported_media_type");
    assert_error(&api.get("/sendBatch", ""), 405, "method_not_allowed");
    assert_error(&api.get("/ackBatch", ""), 405, "method_not_allowed");
    assert_error(&api.post("/ackBatch", ""), 400, "bad_request");
    assert_eq!(api.snapshot(), before);
    // Errors follow Accept, as on every route.
    let reply = api.call(req("POST", "/sendBatch").json("{}").accept_json());
    assert_eq!(reply.status, 400);
    assert_eq!(value(&reply)["code"], "bad_request");
}

#[test]
fn ack_batch_settles_each_item_on_its_own() {
    let api = Api::new();
    let items: Vec<String> = (0..4).map(|n| format!(r#"{{"sender":"a@x","receiver":"b@x","n":"{n}"}}"#)).collect();
    assert_eq!(send_batch(&api, &format!("[{}]", items.join(","))).status, 200);
    let got = fetch_all(&api, "b@x");
    let [(m0, l0, _), (m1, l1, _), (m2, l2, _), (m3, _, _)] = got.as_slice() else { panic!("{got:?}") };
    let body = json!([
        {"mid": m0, "lid": l0, "status": "confirmed"},
        {"mid": m1, "lid": l1, "statusCode": 2, "retryDelay": "30s"},
        {"mid": m2, "lid": l2, "status": "lost"},
        {"mid": m3, "lid": "a".repeat(l2.len()), "status": "confirmed"},
        {"mid": "zz", "lid": l0, "status": 1},
        {"mid": m0, "lid": l0, "status": "confirmed"},
    ]);
    let reply = ack_batch(&api, &body.to_string());
    assert_eq!(reply.status, 200, "{}", reply.text());
    let results = value(&reply);
    let outcome: Vec<(bool, &str)> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["ok"].as_bool().unwrap(), r["code"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        outcome,
        [
            (true, ""),
            (true, ""),
            (false, "unknown_status"),
            (false, "lock_mismatch"),
            (false, "invalid_key"),
            (false, "not_found")
        ]
    );
    assert!(results[2]["message"].as_str().unwrap().contains("lost"));
    // m0 is gone; m1 comes back after its retry delay; m2 and m3 stay leased.
    api.advance(30 * SECOND);
    let again = fetch_all(&api, "b@x");
    assert_eq!(again.iter().map(|(m, _, _)| m.as_str()).collect::<Vec<_>>(), [m1.as_str()]);
    api.advance(MINUTE);
    let rest: Vec<String> = fetch_all(&api, "b@x").into_iter().map(|(m, _, _)| m).collect();
    assert!(rest.contains(m2) && rest.contains(m3) && !rest.contains(m0), "{rest:?}");
}

#[test]
fn ack_batch_storage_failure_changes_nothing() {
    let api: Api<FaultyStorage<MemoryStorage>> = Api::faulty();
    api.send("sender=a@x&receiver=b@x&n=0");
    let (mid, lid, _) = fetch_all(&api, "b@x").remove(0);
    let before = api.server.storage().inner().snapshot();
    let body = json!([{"mid": mid, "lid": lid, "status": "confirmed"}]).to_string();
    let mut failed = 0;
    for n in 1..=8 {
        api.server.storage().reset();
        api.server.storage().fail_at(Some(n));
        let reply = ack_batch(&api, &body);
        if reply.status == 200 {
            break; // past the call's last storage step
        }
        failed += 1;
        assert_error(&reply, 500, "storage");
        assert_eq!(api.server.storage().inner().snapshot(), before, "failure at call {n}");
    }
    assert!(failed > 0, "some storage call failed");
}

#[test]
fn send_batch_storage_failure_changes_nothing() {
    let api: Api<FaultyStorage<MemoryStorage>> = Api::faulty();
    let before = api.server.storage().inner().snapshot();
    let body = r#"[{"sender":"a@x","receiver":"b@x"},{"sender":"a@x","receiver":"b@x"}]"#;
    let mut failed = 0;
    for n in 1..=16 {
        api.server.storage().reset();
        api.server.storage().fail_at(Some(n));
        let reply = send_batch(&api, body);
        if reply.status == 200 {
            break;
        }
        failed += 1;
        assert_error(&reply, 500, "storage");
        assert_eq!(api.server.storage().inner().snapshot(), before, "failure at call {n}");
    }
    assert!(failed > 0, "some storage call failed");
}

const SECRET: &[u8] = b"k1: thirty-two bytes or more of secret";

fn scoped_api() -> Api {
    let mut keys = SigningKeys::new();
    keys.insert("k1", SECRET).unwrap();
    Api::with_options(HttpOptions { token: Some("full".into()), signing_keys: keys, ..HttpOptions::default() })
}

fn token(mailbox: &str, ops: &[&str]) -> String {
    let claims =
        Claims { mailbox: mailbox.into(), ops: Ops::parse(ops.iter().copied()).unwrap(), expires: NOW + 3_600_000 };
    format!("Bearer {}", mint(&claims, "k1", SECRET).unwrap())
}

#[test]
fn a_scoped_token_must_cover_every_item() {
    let api = scoped_api();
    let send_a = token("a", &["send"]);
    let both = r#"[{"sender":"s","receiver":"a"},{"sender":"s","receiver":"b"}]"#;
    let before = api.snapshot();
    let reply = api.call(req("POST", "/sendBatch").json(both).authorization(&send_a));
    assert_error(&reply, 403, "forbidden");
    assert_eq!(api.snapshot(), before);
    let consume_a = token("a", &["consume"]);
    let only_a = r#"[{"sender":"s","receiver":"a"}]"#;
    assert_error(&api.call(req("POST", "/sendBatch").json(only_a).authorization(&consume_a)), 403, "forbidden");
    assert_eq!(api.call(req("POST", "/sendBatch").json(only_a).authorization(&send_a)).status, 200);
    assert_error(&api.call(req("POST", "/ackBatch").json("[]").authorization(&send_a)), 403, "forbidden");
}

#[test]
fn ack_batch_refuses_items_of_mailboxes_outside_the_token() {
    let api = scoped_api();
    let full = |r: pandora_mq::http::HttpRequest| api.call(r.authorization("Bearer full"));
    let body = r#"[{"sender":"s","receiver":"a"},{"sender":"s","receiver":"b"}]"#;
    assert_eq!(full(req("POST", "/sendBatch").json(body)).status, 200);
    let lease = |mailbox: &str| {
        let reply = full(req("POST", "/fetch").form(&format!("receiver={mailbox}&max=1")));
        let v = value(&reply);
        (v[0]["mid"].as_str().unwrap().to_owned(), v[0]["lid"].as_str().unwrap().to_owned())
    };
    let (mid_a, lid_a) = lease("a");
    let (mid_b, lid_b) = lease("b");
    let acks = json!([
        {"mid": mid_b, "lid": lid_b, "status": "confirmed"},
        {"mid": mid_a, "lid": lid_a, "status": "confirmed"},
    ]);
    let reply = api.call(req("POST", "/ackBatch").json(&acks.to_string()).authorization(&token("a", &["consume"])));
    let results = value(&reply);
    assert_eq!(results[0]["ok"], false);
    assert_eq!(results[0]["code"], "forbidden");
    assert_eq!(results[1]["ok"], true);
    // b's message is still held by its lease: the refused item changed nothing.
    let again = json!([{"mid": mid_b, "lid": lid_b, "status": "confirmed"}]).to_string();
    assert_eq!(value(&full(req("POST", "/ackBatch").json(&again)))[0]["ok"], true);
}

#[test]
fn check_refuses_a_bad_item_before_any_server_sees_the_batch() {
    // What a host that splits a batch over servers relies on: `check` alone,
    // with no storage, refuses the batch and names the item.
    let options = HttpOptions::default();
    let good = r#"{"sender":"a@x","receiver":"b@x"}"#;
    let bad = [
        (r#"{"sender":"a@x","receiver":""}"#, "invalid_mailbox"),
        (r#"{"sender":"a@x","receiver":"c@x","status":"1"}"#, "reserved_field"),
        (r#"{"sender":"a@x","receiver":"c@x","clientTime":"yesterday"}"#, "invalid_time"),
        (r#"{"sender":"a@x","receiver":"c@x","delay":"87601h"}"#, "out_of_range"),
    ];
    for (item, code) in bad {
        let request = req("POST", "/sendBatch").json(&format!("[{good},{item}]"));
        let refusal = pandora_mq::http::check(&options, NOW, &request).expect_err(item);
        assert_error(&refusal, 400, code);
        assert!(refusal.form().get("error").unwrap().starts_with("item 1: "), "{}", refusal.text());
    }
    let checked =
        pandora_mq::http::check(&options, NOW, &req("POST", "/sendBatch").json(&format!("[{good},{good}]"))).unwrap();
    assert_eq!(checked.items.len(), 2);
    assert_eq!(checked.items[1].get("receiver"), Some("b@x"));
}
