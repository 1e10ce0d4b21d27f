//! `POST …/send`.

use crate::support::*;

#[test]
fn reply_is_the_mid_of_the_go_blob() {
    let api = Api::admin();
    let reply = api.post("/send", "sender=a@x&receiver=b@x&clientTime=2026-01-01T00:00:00Z&topic=hello");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("application/x-www-form-urlencoded"));
    let blob =
        "clientTime=2026-01-01T00%3A00%3A00Z&p-server=Pandora-Default-Server&receiver=b%40x&sender=a%40x&topic=hello";
    assert_eq!(reply.text(), format!("mid={}", sha1_hex(blob)));
}

#[test]
fn json_reply_says_whether_it_was_a_duplicate() {
    let api = Api::new();
    let send =
        || api.call(req("POST", "/send").form("sender=a@x&receiver=b@x&clientTime=2026-01-01T00:00:00Z").accept_json());
    let first = send();
    assert_eq!(first.status, 200);
    assert_eq!(first.content_type(), Some("application/json"));
    let mid = api.send("sender=a@x&receiver=b@x&clientTime=2026-01-01T00:00:00Z");
    assert_eq!(first.text(), format!(r#"{{"mid":"{mid}","duplicate":false}}"#));
    assert_eq!(send().text(), format!(r#"{{"mid":"{mid}","duplicate":true}}"#));
}

#[test]
fn missing_or_empty_mailboxes_are_invalid_mailbox() {
    let api = Api::new();
    for (form, says) in [
        ("receiver=b@x", "sender is missing"),
        ("sender=a@x", "receiver is missing"),
        ("sender=&receiver=b@x", "sender is empty"),
        ("sender=a@x&receiver=", "receiver is empty"),
    ] {
        let reply = api.post("/send", form);
        assert_error(&reply, 400, "invalid_mailbox");
        // Go's text comes first, so Go clients matching on it still match.
        let error = reply.form().get("error").unwrap().to_owned();
        assert!(error.starts_with("invalid mailbox") && error.contains(says), "{error}");
    }
    let long = "r".repeat(256);
    assert_error(&api.post("/send", &format!("sender=a@x&receiver={long}")), 400, "invalid_mailbox");
    assert!(api.snapshot().is_empty());
}

#[test]
fn delay_is_a_go_duration() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x&delay=1m30s");
    assert!(api.fetch("b@x").is_none());
    api.advance(90 * SECOND - 1);
    assert!(api.fetch("b@x").is_none());
    api.advance(1);
    let got = api.fetch("b@x").unwrap();
    assert_eq!(got.get("sendWhen"), Some("2026-11-25T13:53:50.289Z"));
    assert!(!got.contains("delay"), "delay is not part of the message");
}

#[test]
fn bad_delays_are_refused() {
    let api = Api::new();
    for (delay, code) in [
        ("2x", "invalid_duration"),
        ("1.5", "invalid_duration"),
        ("1 s", "invalid_duration"),
        ("-1s", "out_of_range"),
        ("721h", "out_of_range"),
    ] {
        let reply = api.post("/send", &format!("sender=a@x&receiver=b@x&delay={delay}"));
        assert_error(&reply, 400, code);
    }
    let reply = api.post("/send", "sender=a@x&receiver=b@x&delay=2x");
    assert!(reply.form().get("error").unwrap().contains("delay"), "the error names the field");
    assert!(api.snapshot().is_empty());
}

#[test]
fn empty_optional_fields_count_as_absent() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x&delay=&clientTime=");
    let got = api.fetch("b@x").unwrap();
    assert_eq!(got.get("clientTime"), Some(NOW_TEXT));
}

#[test]
fn client_time_is_rfc3339_and_stored_in_utc() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x&clientTime=2026-01-01T01:30:00.5%2B01:30");
    assert_eq!(api.fetch("b@x").unwrap().get("clientTime"), Some("2026-01-01T00:00:00.5Z"));
    for bad in ["yesterday", "2026-01-01", "2026-01-01T00:00:00", "2026-02-30T00:00:00Z"] {
        let reply = api.post("/send", &format!("sender=a@x&receiver=b@x&clientTime={bad}"));
        assert_error(&reply, 400, "invalid_time");
    }
}

#[test]
fn sends_without_client_time_never_deduplicate() {
    let api = Api::new();
    let a = api.send("sender=a@x&receiver=b@x&topic=same");
    let b = api.send("sender=a@x&receiver=b@x&topic=same");
    assert_ne!(a, b);
}

#[test]
fn every_other_field_is_the_body_in_order() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x&z=last&color=red&a=first&color=blue&color=green&empty=");
    let got = api.fetch("b@x").unwrap();
    assert_eq!(got.get_all("color").collect::<Vec<_>>(), ["red", "blue", "green"]);
    assert_eq!(got.get("z"), Some("last"));
    assert_eq!(got.get("a"), Some("first"));
    assert_eq!(got.get("empty"), Some(""));
}

#[test]
fn server_owned_fields_are_refused_or_replaced() {
    let api = Api::new();
    for field in
        ["mid", "lid", "status", "statusCode", "leasedUntil", "receivedAt", "sendWhen", "deliveryCount", "validBody"]
    {
        let reply = api.post("/send", &format!("sender=a@x&receiver=b@x&{field}=x"));
        assert_error(&reply, 400, "reserved_field");
    }
    api.send("sender=a@x&receiver=b@x&p-server=Mine&p-nonce=abc&p-server=Again");
    let got = api.fetch("b@x").unwrap();
    assert_eq!(got.get_all("p-server").collect::<Vec<_>>(), ["Pandora-Default-Server"]);
    assert_eq!(got.get_all("p-nonce").count(), 1);
    assert_ne!(got.get("p-nonce"), Some("abc"));
}

#[test]
fn repeated_sender_takes_the_first_value() {
    let api = Api::new();
    api.send("sender=a@x&sender=evil@x&receiver=b@x&receiver=c@x");
    let got = api.fetch("b@x").unwrap();
    assert_eq!(got.get_all("sender").collect::<Vec<_>>(), ["a@x"]);
    assert_eq!(got.get_all("receiver").collect::<Vec<_>>(), ["b@x"]);
    assert!(api.fetch("c@x").is_none());
}

/// Whole milliseconds are a duration over HTTP as in process: `delay=1500` in a
/// form and `"delay": 1500` in JSON both mean 1.5 s.
#[test]
fn a_delay_in_ms_means_the_same_as_in_process() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x&delay=1500");
    let json = api.call(req("POST", "/send").json(r#"{"sender": "a@x", "receiver": "c@x", "delay": 1500}"#));
    assert_eq!(json.status, 200);
    for receiver in ["b@x", "c@x"] {
        let reply = api.post("/fetch", &format!("receiver={receiver}"));
        assert_eq!(reply.status, 204, "not due before 1.5 s");
    }
    api.advance(1_500);
    for receiver in ["b@x", "c@x"] {
        assert_eq!(api.post("/fetch", &format!("receiver={receiver}")).status, 200);
    }
}

#[test]
fn ttl_steers_the_send_and_stays_out_of_the_body() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x&n=1&ttl=1m");
    api.send("sender=a@x&receiver=b@x&n=2&ttl=5m");
    api.advance(2 * MINUTE);
    let fetched = api.fetch("b@x").expect("the message with 5 minutes to live");
    assert_eq!(fetched.get("n"), Some("2"));
    assert_eq!(fetched.get("ttl"), None, "ttl is not a body field");
    assert!(api.fetch("b@x").is_none(), "the other one expired unfetched");
    assert_error(&api.post("/send", "sender=a@x&receiver=b@x&ttl=soon"), 400, "invalid_duration");
}
