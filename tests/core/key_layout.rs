//! The storage key layout is part of the contract with every backend (and the docs):
//! `h/<mid>`, `b/<mid>`, `v/<mailbox>/<time>/<mid>`, `r/<mailbox>/<time>/<mid>`,
//! `l/<time>/<mid>`, `t/<time>/<mid>`, times as 16 hex digits with the sign bit flipped
//! (see docs/design.md, "Key layout").

use crate::support::*;
use pandora_mq::{Ack, Config, SendRequest};

/// T0 in the key encoding.
const T0_KEY: &str = "8000018bcfe56800";

fn time_key(ms: i64) -> String {
    format!("{:016x}", (ms as u64) ^ (1 << 63))
}

#[test]
fn the_time_encoding_is_as_documented() {
    assert_eq!(time_key(T0), T0_KEY);
}

#[test]
fn a_send_writes_exactly_a_header_a_blob_and_two_index_entries() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    let mid = sent.mid.to_hex();
    assert_eq!(
        keys(&server),
        [
            format!("b/{mid}"),
            format!("h/{mid}"),
            format!("r/b%40x/{T0_KEY}/{mid}"),
            format!("v/b%40x/{T0_KEY}/{mid}"),
        ]
    );
    let snapshot = server.storage().snapshot();
    assert!(snapshot[&format!("r/b%40x/{T0_KEY}/{mid}")].is_empty());
    assert!(snapshot[&format!("v/b%40x/{T0_KEY}/{mid}")].is_empty());
    assert!(keys(&server).iter().all(|k| k.is_ascii()));
}

#[test]
fn the_delivery_index_is_keyed_by_due_time() {
    let server = server();
    let req = SendRequest { delay: 1_000, ..request("b@x", &[("k", "v")]) };
    let mid = try_send(&server, T0, req).unwrap().mid.to_hex();
    assert!(keys(&server).contains(&format!("v/b%40x/{}/{mid}", time_key(T0 + 1_000))));
}

#[test]
fn a_fetch_moves_the_delivery_entry_and_adds_a_lease_entry() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    fetch(&server, T0, "b@x", 500).unwrap();
    let mid = sent.mid.to_hex();
    // The lease holds through its last ms; the message is deliverable one ms later.
    let (until, visible) = (time_key(T0 + 500), time_key(T0 + 501));
    assert_eq!(
        keys(&server),
        [
            format!("b/{mid}"),
            format!("h/{mid}"),
            format!("l/{until}/{mid}"),
            format!("r/b%40x/{T0_KEY}/{mid}"),
            format!("v/b%40x/{visible}/{mid}"),
        ]
    );
}

#[test]
fn a_redelivery_after_expiry_replaces_the_lease_entry() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    fetch(&server, T0, "b@x", 500).unwrap();
    fetch(&server, T0 + 501, "b@x", 500).unwrap();
    let mid = sent.mid.to_hex();
    let (until, visible) = (time_key(T0 + 1_001), time_key(T0 + 1_002));
    let index: Vec<String> =
        keys(&server).into_iter().filter(|k| k.starts_with("l/") || k.starts_with("v/")).collect();
    assert_eq!(index, [format!("l/{until}/{mid}"), format!("v/b%40x/{visible}/{mid}")]);
}

#[test]
fn a_confirm_leaves_only_a_tombstone_header_and_its_index_entry() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 500).unwrap();
    ack(&server, T0 + 1, &msg, Ack::Confirmed).unwrap();
    let mid = sent.mid.to_hex();
    let expires = time_key(T0 + 1 + server.config().dedupe_window);
    assert_eq!(keys(&server), [format!("h/{mid}"), format!("t/{expires}/{mid}")]);
}

#[test]
fn without_a_dedupe_window_a_confirm_leaves_nothing() {
    let server = server_with(Config { dedupe_window: 0, ..Config::default() });
    send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 500).unwrap();
    ack(&server, T0 + 1, &msg, Ack::Confirmed).unwrap();
    assert!(server.storage().is_empty(), "{:?}", keys(&server));
}
