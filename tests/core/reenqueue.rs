//! `reenqueue`: expired leases are released (listed again, timed out), and old tombstones go.

use crate::support::*;
use pandora_mq::config::MINUTE;
use pandora_mq::{Ack, SendRequest, Status};

#[test]
fn it_counts_expired_leases_and_listings_show_them_timed_out() {
    let server = server();
    for n in ["a", "b", "c"] {
        send(&server, T0, "b@x", &[("n", n)]);
    }
    fetch(&server, T0, "b@x", 100).unwrap();
    fetch(&server, T0, "b@x", 200).unwrap();
    fetch(&server, T0, "b@x", 10_000).unwrap();

    assert_eq!(run(server.reenqueue(T0 + 100)).unwrap(), 0, "a lease holds through its last ms");
    assert_eq!(run(server.reenqueue(T0 + 201)).unwrap(), 2);
    assert_eq!(run(server.reenqueue(T0 + 202)).unwrap(), 0, "already released");
    let entries = server.storage().snapshot().into_iter().filter(|(k, _)| k.starts_with('d'));
    let holding = entries.filter(|(_, v)| pandora_mq::layout::Entry::decode(v).unwrap().leased).count();
    assert_eq!(holding, 1, "only the running lease keeps its lid");

    // The released two are listed again, timed out; the running lease is not listed.
    let listed = headers(&server, T0 + 202, "b@x");
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|m| m.status == Status::Timeout && !m.leased && m.delivery_count == 1));
    assert_eq!(run(server.stats(T0 + 202, "b@x")).unwrap().leased, 1);
}

#[test]
fn a_released_message_is_delivered_as_timed_out_and_its_old_lid_fails() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    let first = fetch(&server, T0, "b@x", 100).unwrap();
    assert_eq!(run(server.reenqueue(T0 + 101)).unwrap(), 1);
    let err = ack(&server, T0 + 101, &first, Ack::Confirmed).unwrap_err();
    assert!(["lease_expired", "lock_mismatch"].contains(&err.code()), "{err:?}");

    let again = fetch(&server, T0 + 101, "b@x", 100).unwrap();
    assert_eq!(again.mid, sent.mid);
    assert_eq!(again.status, Status::Timeout);
    assert_eq!(again.delivery_count, 2);
    ack(&server, T0 + 102, &again, Ack::Confirmed).unwrap();
}

#[test]
fn delivery_never_needs_it() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    fetch(&server, T0, "b@x", 100).unwrap();
    assert_eq!(run(server.stats(T0 + 101, "b@x")).unwrap().ready, 1, "stats see expiry without reenqueue");
    assert_eq!(fetch(&server, T0 + 101, "b@x", 100).unwrap().mid, sent.mid);
}

#[test]
fn it_releases_more_leases_than_one_batch_holds() {
    let server = server();
    for i in 0..300 {
        send(&server, T0, "b@x", &[("i", &i.to_string())]);
    }
    for _ in 0..300 {
        fetch(&server, T0, "b@x", 100).unwrap();
    }
    assert_eq!(run(server.reenqueue(T0 + 101)).unwrap(), 300);
    assert_eq!(run(server.reenqueue(T0 + 101)).unwrap(), 0, "all released at once");
    assert!(headers(&server, T0 + 101, "b@x").iter().all(|m| !m.leased && m.status == Status::Timeout));
}

#[test]
fn tombstones_past_the_window_are_collected() {
    let server = server();
    let mut confirmed_at = T0;
    for i in 0..150 {
        let req = SendRequest { client_time: Some(T0), ..request("b@x", &[("i", &i.to_string())]) };
        try_send(&server, T0, req).unwrap();
        let msg = fetch(&server, T0, "b@x", 1_000).unwrap();
        confirmed_at = T0 + i;
        ack(&server, confirmed_at, &msg, Ack::Confirmed).unwrap();
    }
    // Every message was received at T0: its window closes 5 min later,
    // whenever it was confirmed.
    let _ = confirmed_at;
    let closes = T0 + 5 * MINUTE;
    run(server.reenqueue(closes - 1)).unwrap();
    assert_eq!(keys(&server).len(), 150, "none due yet: only the records are left");
    assert!(keys(&server).iter().all(|k| k.starts_with('m')));

    assert_eq!(run(server.reenqueue(closes)).unwrap(), 0);
    assert!(server.storage().is_empty(), "left: {:?}", keys(&server));
}

#[test]
fn collected_tombstones_no_longer_deduplicate() {
    let server = server();
    let req = SendRequest { client_time: Some(T0), ..request("b@x", &[("k", "v")]) };
    let sent = try_send(&server, T0, req.clone()).unwrap();
    let msg = fetch(&server, T0, "b@x", 100).unwrap();
    ack(&server, T0, &msg, Ack::Confirmed).unwrap();
    run(server.reenqueue(T0 + 100 + 5 * MINUTE)).unwrap();
    assert!(server.storage().is_empty());
    let again = try_send(&server, T0 + 100 + 5 * MINUTE, req).unwrap();
    assert_eq!((again.mid, again.duplicate), (sent.mid, false));
}
