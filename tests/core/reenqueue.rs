//! `reenqueue`: expired leases show as timed out in listings, and old tombstones go.

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
    let records = server.storage().snapshot().into_iter().filter(|(k, _)| k.starts_with('m'));
    let holding: Vec<_> = records
        .map(|(_, v)| pandora_mq::record::Record::decode(&v).unwrap())
        .filter(|r| r.lid.is_some())
        .collect();
    assert_eq!(holding.len(), 1, "only the running lease keeps its lid");

    let listed = headers(&server, T0 + 202, "b@x");
    let timed_out: Vec<_> = listed.iter().filter(|m| m.status == Status::Timeout).collect();
    assert_eq!(timed_out.len(), 2);
    assert!(timed_out.iter().all(|m| !m.leased && m.delivery_count == 1));
    assert_eq!(listed.iter().filter(|m| m.leased).count(), 1);
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
    let listed = headers(&server, T0 + 101, "b@x");
    assert_eq!(listed[0].status, Status::Timeout, "listings see expiry without reenqueue");
    assert!(!listed[0].leased);
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
    assert!(headers(&server, T0 + 101, "b@x")
        .iter()
        .all(|m| !m.leased && m.status == Status::Timeout));
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
    // Message i was fetched at T0 under a 1 s lease: its window closes at
    // T0 + 1 s + 5 min, whenever in the lease it was confirmed.
    let _ = confirmed_at;
    let closes = T0 + 1_000 + 5 * MINUTE;
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
