//! A lease that runs out makes the message deliverable again, under a new lid.

use crate::support::*;
use pandora_mq::{Ack, Status};

#[test]
fn an_expired_lease_is_redelivered_with_a_new_lid() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    let first = fetch(&server, T0, "b@x", 1_000).unwrap();
    assert_eq!(first.leased_until, T0 + 1_000);
    assert!(fetch(&server, T0 + 500, "b@x", 1_000).is_none(), "still leased");

    let second = fetch(&server, T0 + 1_001, "b@x", 1_000).expect("lease ran out");
    assert_eq!(second.mid, sent.mid);
    assert_ne!(lid(&second), lid(&first));
    assert_eq!(second.delivery_count, 2);
    assert_eq!(second.status, Status::Timeout);
    assert_eq!(second.leased_until, T0 + 2_001);
    assert_eq!(second.body, first.body);
}

#[test]
fn the_old_lid_fails_after_redelivery_and_the_new_one_acks() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let first = fetch(&server, T0, "b@x", 1_000).unwrap();
    let second = fetch(&server, T0 + 1_001, "b@x", 1_000).unwrap();

    let err = ack(&server, T0 + 1_002, &first, Ack::Confirmed).unwrap_err();
    assert_eq!(err.code(), "lock_mismatch");
    let err = ack(&server, T0 + 1_002, &first, Ack::Rejected { retry_delay: 0 }).unwrap_err();
    assert_eq!(err.code(), "lock_mismatch");
    ack(&server, T0 + 1_002, &second, Ack::Confirmed).unwrap();
    assert!(fetch(&server, T0 + 10_000, "b@x", 1_000).is_none());
}

#[test]
fn the_old_lid_fails_after_expiry_even_before_redelivery() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let first = fetch(&server, T0, "b@x", 1_000).unwrap();
    let err = ack(&server, T0 + 1_001, &first, Ack::Confirmed).unwrap_err();
    assert!(["lease_expired", "lock_mismatch"].contains(&err.code()), "{err:?}");
    // The message is still there for the next consumer.
    assert!(fetch(&server, T0 + 1_001, "b@x", 1_000).is_some());
}

#[test]
fn the_lease_holds_through_its_last_millisecond_for_ack() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 1_000).unwrap();
    ack(&server, T0 + 1_000, &msg, Ack::Confirmed).unwrap();
}

#[test]
fn stats_count_a_lease_through_its_last_millisecond_and_reenqueue_lists_it_after() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    fetch(&server, T0, "b@x", 1_000).unwrap();
    let stats = |now| run(server.stats(now, "b@x")).unwrap();
    assert_eq!((stats(T0 + 1_000).leased, stats(T0 + 1_000).ready), (1, 0));
    assert_eq!((stats(T0 + 1_001).leased, stats(T0 + 1_001).ready), (0, 1));
    assert_eq!(run(server.reenqueue(T0 + 1_000)).unwrap(), 0, "not over yet");
    assert!(headers(&server, T0 + 1_000, "b@x").is_empty());
    assert_eq!(run(server.reenqueue(T0 + 1_001)).unwrap(), 1);
    assert_eq!(headers(&server, T0 + 1_001, "b@x")[0].status, Status::Timeout);
}

#[test]
fn no_redelivery_in_the_last_millisecond_of_a_lease() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 1_000).unwrap();
    // At T0+1000 the lease is still valid: ack accepts it and listings say leased.
    let stolen = fetch(&server, T0 + 1_000, "b@x", 1_000);
    assert!(stolen.is_none(), "redelivered while the first lease is valid: {stolen:?}");
    ack(&server, T0 + 1_000, &msg, Ack::Confirmed).unwrap();
}

#[test]
fn each_expiry_counts_one_more_delivery() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let mut now = T0;
    for n in 1..=5u32 {
        let msg = fetch(&server, now, "b@x", 10).unwrap();
        assert_eq!(msg.delivery_count, n);
        assert_eq!(msg.status, if n == 1 { Status::NotDelivered } else { Status::Timeout });
        now += 11;
    }
}
