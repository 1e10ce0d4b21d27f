//! The content-addressed blob store: the body as Go would encode it, under its SHA-1.

use crate::support::*;
use pandora_mq::{Ack, Key, SendRequest};
use sha1::{Digest, Sha1};

/// `topic=hello` from a@x to b@x with clientTime T0, as Go's `url.Values.Encode` writes it.
const GO_ENCODING: &str =
    "clientTime=2023-11-14T22%3A13%3A20Z&p-server=Pandora-Default-Server&receiver=b%40x&sender=a%40x&topic=hello";
/// `sha1sum` of [`GO_ENCODING`].
const GO_MID: &str = "b8195f5b6f2d8eed47ac628f3ee45ee644364497";

fn hello() -> SendRequest {
    SendRequest { client_time: Some(T0), ..request("b@x", &[("topic", "hello")]) }
}

#[test]
fn the_blob_is_the_go_encoding_and_the_mid_its_sha1() {
    let server = server();
    let sent = try_send(&server, T0, hello()).unwrap();
    let blob = run(server.fetch_blob(&sent.mid)).unwrap().expect("stored on send");
    assert_eq!(String::from_utf8(blob.clone()).unwrap(), GO_ENCODING);
    assert_eq!(sent.mid.to_hex(), GO_MID);
    assert_eq!(sent.mid.to_hex(), hex::encode(Sha1::digest(&blob)));
}

#[test]
fn the_delivered_body_carries_the_server_fields() {
    let server = server();
    try_send(&server, T0, hello()).unwrap();
    let body = fetch(&server, T0, "b@x", 100).unwrap().body.expect("a body");
    assert_eq!(body.get("topic"), Some("hello"));
    assert_eq!(body.get("sender"), Some("a@x"));
    assert_eq!(body.get("receiver"), Some("b@x"));
    assert_eq!(body.get("clientTime"), Some("2023-11-14T22:13:20Z"));
    assert_eq!(body.get("p-server"), Some("Pandora-Default-Server"));
    assert_eq!(body.fields().len(), 5);
}

#[test]
fn a_server_stamped_send_carries_now_and_a_nonce() {
    let server = server();
    let sent = send(&server, T0 + 250, "b@x", &[("topic", "hello")]);
    let blob = run(server.fetch_blob(&sent.mid)).unwrap().unwrap();
    let body = pandora_mq::Body::decode(&blob);
    assert_eq!(body.get("clientTime"), Some("2023-11-14T22:13:20.25Z"));
    let nonce = body.get("p-nonce").expect("a nonce");
    assert_eq!(nonce.len(), 32);
    assert!(nonce.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(headers(&server, T0 + 250, "b@x")[0].client_time, T0 + 250);
    assert_eq!(sent.mid, Key::of(&blob));
}

#[test]
fn user_fields_named_like_server_fields_are_overwritten() {
    let server = server();
    let req = SendRequest {
        client_time: Some(T0),
        ..request("b@x", &[("topic", "hello"), ("sender", "forged"), ("receiver", "x"), ("clientTime", "y")])
    };
    let sent = try_send(&server, T0, req).unwrap();
    assert_eq!(sent.mid.to_hex(), GO_MID, "the same message as an honest send");
}

#[test]
fn the_blob_is_collected_after_confirm() {
    let server = server();
    let sent = try_send(&server, T0, hello()).unwrap();
    assert_eq!(record(&server, &sent.mid).expect("stored").refs, 1);

    let msg = fetch(&server, T0, "b@x", 100).unwrap();
    ack(&server, T0 + 1, &msg, Ack::Rejected { retry_delay: 0 }).unwrap();
    assert!(run(server.fetch_blob(&sent.mid)).unwrap().is_some(), "a reject keeps the blob");

    let msg = fetch(&server, T0 + 1, "b@x", 100).unwrap();
    ack(&server, T0 + 2, &msg, Ack::Confirmed).unwrap();
    assert_eq!(run(server.fetch_blob(&sent.mid)).unwrap(), None);
    // Once the dedupe window has closed, the record with its body goes too.
    let closed = T0 + 2 + 100 + server.config().dedupe_window;
    run(server.reenqueue(closed)).unwrap();
    assert!(keys(&server).is_empty(), "{:?}", keys(&server));
}

#[test]
fn the_same_fields_to_two_receivers_are_two_blobs() {
    let server = server();
    let to_b = try_send(&server, T0, hello()).unwrap();
    let to_c = try_send(&server, T0, SendRequest { receiver: "c@x".into(), ..hello() }).unwrap();
    assert_ne!(to_b.mid, to_c.mid);
    assert!(!to_c.duplicate);
    assert!(record(&server, &to_b.mid).is_some() && record(&server, &to_c.mid).is_some());

    // Confirming one leaves the other's blob alone.
    let msg = fetch(&server, T0, "b@x", 100).unwrap();
    ack(&server, T0, &msg, Ack::Confirmed).unwrap();
    assert_eq!(run(server.fetch_blob(&to_b.mid)).unwrap(), None);
    assert!(run(server.fetch_blob(&to_c.mid)).unwrap().is_some());
    assert_eq!(fetch(&server, T0, "c@x", 100).unwrap().mid, to_c.mid);
}

#[test]
fn an_unknown_blob_is_none() {
    let server = server();
    assert_eq!(run(server.fetch_blob(&Key::of(b"nothing"))).unwrap(), None);
}
