//! `POST …/fetch`.

use crate::support::*;

const SEND: &str = "sender=a@x&receiver=b@x&clientTime=2026-01-01T00:00:00Z&topic=hello&color=red&color=blue";

#[test]
fn form_reply_is_the_go_layout() {
    let api = Api::new();
    let mid = api.send(&format!("{SEND}&delay=2s"));
    api.advance(2 * SECOND);
    let reply = api.post("/fetch", "receiver=b@x&leaseTime=5m");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("application/x-www-form-urlencoded"));
    let lid = reply.form().get("lid").unwrap().to_owned();
    let want = format!(
        "clientTime=2026-01-01T00%3A00%3A00Z&color=red&color=blue&deliveryCount=1\
         &leasedUntil=2026-11-25T13%3A57%3A22.289Z&lid={lid}&mid={mid}\
         &p-server=Pandora-Default-Server&receivedAt=2026-11-25T13%3A52%3A20.289Z\
         &receiver=b%40x&sendWhen=2026-11-25T13%3A52%3A22.289Z&sender=a%40x\
         &status=notDelivered&statusCode=8&topic=hello&validBody=true"
    );
    assert_eq!(reply.text(), want);
}

#[test]
fn json_reply_is_typed() {
    let api = Api::new();
    let mid = api.send(SEND);
    let reply = api.call(req("POST", "/fetch").form("receiver=b@x").accept_json());
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("application/json"));
    let text = reply.text();
    let lid_at = text.find(r#""lid":""#).unwrap() + 7;
    let lid = &text[lid_at..lid_at + 43];
    let want = format!(
        r#"{{"mid":"{mid}","lid":"{lid}","status":"notDelivered","statusCode":8,"sender":"a@x","receiver":"b@x","receivedAt":"{NOW_TEXT}","sendWhen":"{NOW_TEXT}","leasedUntil":"2026-11-25T13:57:20.289Z","visibleAt":"2026-11-25T13:57:20.29Z","deliveryCount":1,"clientTime":"2026-01-01T00:00:00Z","validBody":true,"body":{{"clientTime":"2026-01-01T00:00:00Z","color":["red","blue"],"p-server":"Pandora-Default-Server","receiver":"b@x","sender":"a@x","topic":"hello"}}}}"#
    );
    assert_eq!(text, want);
}

#[test]
fn nothing_due_is_an_empty_204() {
    let api = Api::new();
    let check = |why: &str| {
        let reply = api.post("/fetch", "receiver=b@x");
        assert_eq!(reply.status, 204, "{why}");
        assert!(reply.body.is_empty(), "{why}");
        assert_eq!(reply.content_type(), None, "{why}");
    };
    check("empty mailbox");
    api.send("sender=a@x&receiver=b@x&delay=1s");
    check("delayed");
    api.advance(SECOND);
    assert!(api.fetch("b@x").is_some());
    check("locked");
    let reply = api.call(req("POST", "/fetch").form("receiver=b@x").accept_json());
    assert_eq!((reply.status, reply.body.len()), (204, 0), "JSON clients get a bare 204 too");
}

#[test]
fn unknown_receiver_is_an_empty_mailbox() {
    let api = Api::new();
    assert_eq!(api.post("/fetch", "receiver=nobody@x").status, 204);
}

#[test]
fn missing_receiver_is_invalid_mailbox() {
    let api = Api::new();
    assert_error(&api.post("/fetch", ""), 400, "invalid_mailbox");
    assert_error(&api.post("/fetch", "receiver="), 400, "invalid_mailbox");
}

#[test]
fn lease_time_defaults_to_five_minutes() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x");
    assert_eq!(api.fetch("b@x").unwrap().get("leasedUntil"), Some("2026-11-25T13:57:20.289Z"));
    api.send("sender=a@x&receiver=c@x");
    let reply = api.post("/fetch", "receiver=c@x&leaseTime=");
    assert_eq!(reply.form().get("leasedUntil"), Some("2026-11-25T13:57:20.289Z"));
}

#[test]
fn lease_time_is_a_go_duration_or_ms_within_limits() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x");
    for (lease, code) in [
        ("5.5", "invalid_duration"),
        ("soon", "invalid_duration"),
        ("43200001", "out_of_range"),
        ("0", "out_of_range"),
        ("-1s", "out_of_range"),
        ("500us", "out_of_range"),
        ("12h0m0.001s", "out_of_range"),
    ] {
        assert_error(&api.post("/fetch", &format!("receiver=b@x&leaseTime={lease}")), 400, code);
    }
    // Nothing was leased by the refused fetches.
    let reply = api.post("/fetch", "receiver=b@x&leaseTime=1h30m");
    assert_eq!(reply.form().get("deliveryCount"), Some("1"));
    assert_eq!(reply.form().get("leasedUntil"), Some("2026-11-25T15:22:20.289Z"));
}

#[test]
fn expired_lease_comes_back_as_timeout_with_a_new_lid() {
    let api = Api::new();
    let mid = api.send("sender=a@x&receiver=b@x");
    let first = api.post("/fetch", "receiver=b@x&leaseTime=1s").form();
    api.advance(SECOND - 1);
    assert!(api.fetch("b@x").is_none(), "still leased");
    api.advance(2);
    let second = api.fetch("b@x").unwrap();
    assert_eq!(second.get("mid"), Some(mid.as_str()));
    assert_ne!(second.get("lid"), first.get("lid"));
    assert_eq!(second.get("status"), Some("timeout"));
    assert_eq!(second.get("statusCode"), Some("4"));
    assert_eq!(second.get("deliveryCount"), Some("2"));
}
