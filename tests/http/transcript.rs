//! The reference transcript of the Go server (requests and replies observed from the Go server over HTTP), case by
//! case, with pandora-mq's answers where they differ on purpose.

use crate::support::*;

const SEND: &str = "sender=a@x&receiver=b@x&clientTime=2026-01-01T00:00:00Z&topic=hello&color=red&color=blue";
const BLOB: &str = "clientTime=2026-01-01T00%3A00%3A00Z&color=red&color=blue&p-server=Pandora-Default-Server&receiver=b%40x&sender=a%40x&topic=hello";

#[test]
fn send_answers_the_sha1_of_the_sorted_blob() {
    let api = Api::admin();
    let reply = api.post("/send", &format!("{SEND}&delay=2s"));
    assert_eq!(reply.text(), format!("mid={}", sha1_hex(BLOB)));
    // `delay` is not part of the blob.
    assert_eq!(api.get("/admin/fetchBlob", &format!("mid={}", sha1_hex(BLOB))).text(), BLOB);
}

#[test]
fn fetch_answers_every_field_sorted() {
    let api = Api::new();
    api.send(&format!("{SEND}&delay=2s"));
    api.advance(2 * SECOND);
    let reply = api.post("/fetch", "receiver=b@x&leaseTime=5m");
    assert_eq!(reply.status, 200);
    let text = reply.text();
    let keys: Vec<&str> = text.split('&').map(|kv| kv.split('=').next().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "clientTime",
            "color",
            "color",
            "deliveryCount",
            "leasedUntil",
            "lid",
            "mid",
            "p-server",
            "receivedAt",
            "receiver",
            "sendWhen",
            "sender",
            "status",
            "statusCode",
            "topic",
            "validBody",
        ]
    );
    assert!(text.contains("color=red&color=blue"), "repeated fields keep their order");
    assert!(text.contains("&status=notDelivered&statusCode=8&"));
}

#[test]
fn nothing_due_is_204() {
    let api = Api::new();
    assert_eq!(api.post("/fetch", "receiver=b@x").status, 204);
}

#[test]
fn ack_confirm_is_200_empty_and_reject_redelivers_at_once() {
    let api = Api::new();
    let mid = api.send(SEND);
    let lid = api.fetch("b@x").unwrap().get("lid").unwrap().to_owned();
    let reply = api.ack(&mid, &lid, "2");
    assert_eq!((reply.status, reply.body.len()), (200, 0));
    let again = api.fetch("b@x").unwrap();
    assert_eq!(again.get("mid"), Some(mid.as_str()));
    assert_eq!(again.get("status"), Some("rejected"));
    assert_eq!(again.get("statusCode"), Some("2"));
    let reply = api.ack(&mid, again.get("lid").unwrap(), "1");
    assert_eq!((reply.status, reply.body.len()), (200, 0));
    assert!(api.fetch("b@x").is_none());
}

#[test]
fn expired_lease_redelivers_the_same_mid_with_a_new_lid() {
    let api = Api::new();
    let mid = api.send(SEND);
    let first = api.post("/fetch", "receiver=b@x&leaseTime=1s").form();
    api.advance(SECOND + 1);
    let second = api.fetch("b@x").unwrap();
    assert_eq!(second.get("mid"), Some(mid.as_str()));
    assert_ne!(first.get("lid"), second.get("lid"));
}

#[test]
fn headers_blob_and_reenqueue() {
    let api = Api::admin();
    let mid = api.send(SEND);
    let reply = api.get("/admin/headers", "receiver=b@x&receivedat=-1h");
    assert_eq!(reply.status, 200);
    assert!(reply.text().starts_with(r#"[{"clientTime":["#));
    assert!(reply.text().contains(&format!(r#""mid":["{mid}"]"#)));
    assert_eq!(api.get("/admin/headers", "receiver=k@x&receivedat=-1h").status, 204);
    assert_eq!(api.get("/admin/fetchBlob", &format!("mid={mid}")).text(), BLOB);
    let reply = api.get("/admin/reenqueue", "");
    assert_eq!((reply.status, reply.text().as_str()), (200, "count=0"));
}

#[test]
fn wrong_method_405_and_unknown_path_404() {
    let api = Api::new();
    for (method, path) in [("GET", "/send"), ("GET", "/fetch"), ("PUT", "/send")] {
        assert_eq!(api.call(req(method, path)).status, 405, "{method} {path}");
    }
    assert_eq!(api.get("/unknown", "").status, 404);
}

#[test]
fn client_errors_are_400_form_encoded() {
    let api = Api::new();
    let reply = api.post("/send", "sender=a@x");
    assert_error(&reply, 400, "invalid_mailbox");
    assert!(reply.text().starts_with("error=invalid+mailbox"));
    let reply = api.post("/ack", &format!("mid={}&lid=x&statusCode=1", "0".repeat(40)));
    assert_error(&reply, 400, "not_found");
    let reply = api.post("/ack", &format!("mid={}&lid=x&statusCode=3", "0".repeat(40)));
    assert_error(&reply, 400, "unknown_status");
}
