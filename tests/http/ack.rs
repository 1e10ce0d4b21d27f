//! `POST …/ack`.

use crate::support::*;

/// Sends one message to b@x and leases it: (mid, lid).
fn leased(api: &Api) -> (String, String) {
    let mid = api.send("sender=a@x&receiver=b@x&clientTime=2026-01-01T00:00:00Z");
    let got = api.post("/fetch", "receiver=b@x&leaseTime=1m").form();
    (mid, got.get("lid").unwrap().to_owned())
}

#[test]
fn confirm_is_an_empty_200_and_the_message_is_gone() {
    let api = Api::admin();
    let (mid, lid) = leased(&api);
    let reply = api.ack(&mid, &lid, "1");
    assert_eq!(reply.status, 200);
    assert!(reply.body.is_empty());
    api.advance(10 * MINUTE);
    assert!(api.fetch("b@x").is_none());
    assert_eq!(api.get("/admin/headers", "receiver=b@x").status, 204);
}

#[test]
fn status_names_work_too() {
    let api = Api::new();
    let (mid, lid) = leased(&api);
    assert_eq!(api.ack(&mid, &lid, "rejected").status, 200);
    let lid = api.fetch("b@x").unwrap().get("lid").unwrap().to_owned();
    assert_eq!(api.ack(&mid, &lid, "confirmed").status, 200);
    assert!(api.fetch("b@x").is_none());
}

#[test]
fn status_is_read_where_status_code_is_missing_as_in_ack_batch() {
    let api = Api::new();
    let (mid, lid) = leased(&api);
    let json = format!(r#"{{"mid":"{mid}","lid":"{lid}","status":"confirmed"}}"#);
    let reply = api.call(req("POST", "/ack").json(&json).accept_json());
    assert_eq!(reply.status, 200, "{}", reply.text());
    api.advance(10 * MINUTE);
    assert!(api.fetch("b@x").is_none());
}

#[test]
fn json_reply_is_an_empty_object() {
    let api = Api::new();
    let (mid, lid) = leased(&api);
    let reply = api.call(req("POST", "/ack").form(&format!("mid={mid}&lid={lid}&statusCode=1")).accept_json());
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("application/json"));
    assert_eq!(reply.text(), "{}");
}

#[test]
fn reject_with_retry_delay_backs_off() {
    let api = Api::new();
    let (mid, lid) = leased(&api);
    let reply = api.post("/ack", &format!("mid={mid}&lid={lid}&statusCode=2&retryDelay=30s"));
    assert_eq!(reply.status, 200);
    api.advance(30 * SECOND - 1);
    assert!(api.fetch("b@x").is_none());
    api.advance(1);
    let got = api.fetch("b@x").unwrap();
    assert_eq!(got.get("status"), Some("rejected"));
    assert_eq!(got.get("deliveryCount"), Some("2"));
}

#[test]
fn mistakes_are_400_and_change_nothing() {
    let api = Api::new();
    let (mid, lid) = leased(&api);
    let before = api.snapshot();
    let other = "0".repeat(40);
    let cases = [
        (format!("mid={mid}&lid=0123&statusCode=1"), "lock_mismatch"),
        (format!("mid={mid}&statusCode=1"), "invalid_key"),
        (format!("mid={mid}&lid=&statusCode=1"), "invalid_key"),
        (format!("mid={other}&lid={lid}&statusCode=1"), "not_found"),
        (format!("lid={lid}&statusCode=1"), "invalid_key"),
        (format!("mid={}&lid={lid}&statusCode=1", &mid[..39]), "invalid_key"),
        (format!("mid={mid}00&lid={lid}&statusCode=1"), "invalid_key"),
        (format!("mid={}&lid={lid}&statusCode=1", "g".repeat(40)), "invalid_key"),
        (format!("mid={mid}&lid={lid}"), "unknown_status"),
        (format!("mid={mid}&lid={lid}&statusCode=4"), "unknown_status"),
        (format!("mid={mid}&lid={lid}&statusCode=8"), "unknown_status"),
        (format!("mid={mid}&lid={lid}&statusCode=0x1"), "unknown_status"),
        (format!("mid={mid}&lid={lid}&statusCode=timeout"), "unknown_status"),
        (format!("mid={mid}&lid={lid}&statusCode=2&retryDelay=soon"), "invalid_duration"),
        (format!("mid={mid}&lid={lid}&statusCode=1&retryDelay=soon"), "invalid_duration"),
        (format!("mid={mid}&lid={lid}&statusCode=2&retryDelay=-1s"), "out_of_range"),
        (format!("mid={mid}&lid={lid}&statusCode=2&retryDelay=721h"), "out_of_range"),
    ];
    for (form, code) in cases {
        let reply = api.post("/ack", &form);
        assert_error(&reply, 400, code);
    }
    assert_eq!(api.snapshot(), before);
    assert_eq!(api.ack(&mid, &lid, "1").status, 200, "the real lid still works");
}

#[test]
fn expired_lease_is_lease_expired() {
    let api = Api::new();
    let (mid, lid) = leased(&api);
    api.advance(MINUTE);
    assert_eq!(api.ack(&mid, &lid, "2").status, 200, "the last millisecond of a lease still counts");
    let lid = api.post("/fetch", "receiver=b@x&leaseTime=1m").form().get("lid").unwrap().to_owned();
    api.advance(MINUTE + 1);
    assert_error(&api.ack(&mid, &lid, "1"), 400, "lease_expired");
}

#[test]
fn an_old_lid_no_longer_holds_the_message() {
    let api = Api::new();
    let (mid, old) = leased(&api);
    api.advance(MINUTE + 1);
    let new = api.fetch("b@x").unwrap().get("lid").unwrap().to_owned();
    assert_error(&api.ack(&mid, &old, "1"), 400, "lock_mismatch");
    assert_eq!(api.ack(&mid, &new, "1").status, 200);
}

#[test]
fn acking_twice_is_not_found() {
    let api = Api::new();
    let (mid, lid) = leased(&api);
    assert_eq!(api.ack(&mid, &lid, "1").status, 200);
    assert_error(&api.ack(&mid, &lid, "1"), 400, "not_found");
}
