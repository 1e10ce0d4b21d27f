//! The storage key layout (format 2) is part of the contract with every backend
//! and the docs: `m<mid>`, `d<mailbox>/<visibleAt><mid>`, `r<mailbox>/<receivedAt><mid>`,
//! mids in 27 and times (sign bit flipped) in 11 digits of the order-preserving
//! alphabet `-0-9A-Z_a-z` (see docs/design.md, "Key layout").

use crate::support::*;
use pandora_mq::{Ack, Config, Key, SendRequest};

const DIGITS: &[u8; 64] = b"-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/// `width` digits of `value`, most significant first.
fn digits(value: u128, width: usize) -> String {
    (0..width).rev().map(|i| DIGITS[((value >> (6 * i)) & 63) as usize] as char).collect()
}

fn time_key(ms: i64) -> String {
    digits(((ms as u64) ^ (1 << 63)) as u128, 11)
}

fn mid_key(mid: &Key) -> String {
    let hi = u64::from_be_bytes(mid.0[..8].try_into().unwrap());
    let mut lo = [0u8; 16];
    lo[4..].copy_from_slice(&mid.0[8..]);
    digits(hi as u128, 11) + &digits(u128::from_be_bytes(lo), 16)
}

#[test]
fn the_encodings_are_as_documented() {
    assert_eq!(time_key(T0), "7---NjEtLV-");
    assert_eq!(time_key(0), "7----------");
    assert_eq!(mid_key(&Key([0; 20])), "-".repeat(27));
    assert_eq!(mid_key(&Key([255; 20])), format!("Ezzzzzzzzzz{}", "z".repeat(16)));
}

#[test]
fn a_send_writes_exactly_a_record_and_two_index_entries() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    let (mid, t) = (mid_key(&sent.mid), time_key(T0));
    assert_eq!(keys(&server), [format!("db%40x/{t}{mid}"), format!("m{mid}"), format!("rb%40x/{t}{mid}")]);
    let snapshot = server.storage().snapshot();
    // The delivery entry says "not a lease", the body's size (for stats),
    // no delivery yet and the status; the listing entry points at it (0 ms
    // after the receive time).
    let body_len = record(&server, &sent.mid).unwrap().body.len() as u32;
    let entry = pandora_mq::layout::Entry::decode(&snapshot[&format!("db%40x/{t}{mid}")]);
    assert_eq!(entry, Some(pandora_mq::layout::Entry::queued(body_len as usize, 0, 8)));
    assert_eq!(snapshot[&format!("rb%40x/{t}{mid}")], [0]);
    assert_eq!(snapshot[&format!("m{mid}")][0], 2, "format byte");
    assert!(keys(&server).iter().all(|k| k.is_ascii()));
}

#[test]
fn the_delivery_index_is_keyed_by_due_time() {
    let server = server();
    let req = SendRequest { delay: 1_000, ..request("b@x", &[("k", "v")]) };
    let mid = mid_key(&try_send(&server, T0, req).unwrap().mid);
    assert!(keys(&server).contains(&format!("db%40x/{}{mid}", time_key(T0 + 1_000))));
}

#[test]
fn a_fetch_moves_the_delivery_entry_and_writes_nothing_else() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    let before = server.storage().snapshot();
    let msg = fetch(&server, T0, "b@x", 500).unwrap();
    let mid = mid_key(&sent.mid);
    // The lease holds through its last ms; the message is deliverable one ms later.
    assert_eq!(
        keys(&server),
        [format!("db%40x/{}{mid}", time_key(T0 + 501)), format!("m{mid}"), format!("rb%40x/{}{mid}", time_key(T0)),]
    );
    let after = server.storage().snapshot();
    let (m, r) = (format!("m{mid}"), format!("rb%40x/{}{mid}", time_key(T0)));
    assert_eq!((&after[&m], &after[&r]), (&before[&m], &before[&r]), "record and listing entry untouched");
    // The lease lives in the entry, whose time the lid names.
    let entry = pandora_mq::layout::Entry::decode(&after[&format!("db%40x/{}{mid}", time_key(T0 + 501))]).unwrap();
    assert_eq!((entry.leased, entry.delivery_count, entry.span, entry.wait), (true, 1, 500, 0));
    assert!(lid(&msg).ends_with(&time_key(T0 + 501)), "{}", lid(&msg));
    assert!(lid(&msg).starts_with(&hex_of(&entry.lid)));
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_confirm_deletes_both_index_entries_and_keeps_a_client_mid_record_for_its_window() {
    let server = server();
    let req = SendRequest { client_time: Some(T0 - 5), ..request("b@x", &[("k", "v")]) };
    let sent = try_send(&server, T0, req).unwrap();
    let msg = fetch(&server, T0, "b@x", 500).unwrap();
    ack(&server, T0 + 1, &msg, Ack::Confirmed).unwrap();
    assert_eq!(keys(&server), [format!("m{}", mid_key(&sent.mid))]);
    assert_eq!(run(server.fetch_blob(&sent.mid)).unwrap(), None, "confirmed: no body served");
    assert!(headers(&server, T0 + 1, "b@x").is_empty());
}

#[test]
fn a_confirm_of_a_minted_mid_leaves_nothing() {
    // No send can repeat 128 random bits: there is nothing to deduplicate.
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 500).unwrap();
    ack(&server, T0 + 1, &msg, Ack::Confirmed).unwrap();
    assert!(server.storage().is_empty(), "{:?}", keys(&server));
}

#[test]
fn without_a_dedupe_window_a_confirm_leaves_nothing() {
    let server = server_with(Config { dedupe_window: 0, ..Config::default() });
    try_send(&server, T0, SendRequest { client_time: Some(T0), ..request("b@x", &[("k", "v")]) }).unwrap();
    let msg = fetch(&server, T0, "b@x", 500).unwrap();
    ack(&server, T0 + 1, &msg, Ack::Confirmed).unwrap();
    assert!(server.storage().is_empty(), "{:?}", keys(&server));
}
