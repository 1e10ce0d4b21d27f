//! A rejected message is released: deliverable again at once, or after its retry delay.

use crate::support::*;
use pandora_mq::{Ack, Status};

#[test]
fn a_rejected_message_is_redeliverable_at_once() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    let first = fetch(&server, T0, "b@x", 60_000).unwrap();
    ack(&server, T0 + 10, &first, Ack::Rejected { retry_delay: 0 }).unwrap();

    let second = fetch(&server, T0 + 10, "b@x", 60_000).expect("released at once");
    assert_eq!(second.mid, sent.mid);
    assert_eq!(second.status, Status::Rejected);
    assert_eq!(second.delivery_count, 2);
    assert_ne!(lid(&second), lid(&first));
    assert_eq!(second.body, first.body);
}

#[test]
fn the_rejecting_lid_is_spent() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let first = fetch(&server, T0, "b@x", 60_000).unwrap();
    ack(&server, T0 + 10, &first, Ack::Rejected { retry_delay: 0 }).unwrap();
    let err = ack(&server, T0 + 11, &first, Ack::Confirmed).unwrap_err();
    assert_eq!(err.code(), "lock_mismatch");
}

#[test]
fn a_retry_delay_holds_the_message_back_until_then() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    let first = fetch(&server, T0, "b@x", 60_000).unwrap();
    ack(&server, T0 + 10, &first, Ack::Rejected { retry_delay: 5_000 }).unwrap();

    assert!(fetch(&server, T0 + 10, "b@x", 60_000).is_none());
    assert!(fetch(&server, T0 + 5_009, "b@x", 60_000).is_none());
    let again = fetch(&server, T0 + 5_010, "b@x", 60_000).expect("due after the retry delay");
    assert_eq!(again.mid, sent.mid);
    assert_eq!(again.status, Status::Rejected);
}

#[test]
fn a_rejected_message_stays_listed_and_unleased() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 60_000).unwrap();
    ack(&server, T0 + 10, &msg, Ack::Rejected { retry_delay: 5_000 }).unwrap();
    let listed = headers(&server, T0 + 10, "b@x");
    assert_eq!(mids(&listed), [sent.mid]);
    assert_eq!(listed[0].status, Status::Rejected);
    assert!(!listed[0].leased);
    assert_eq!(listed[0].delivery_count, 1);
}

#[test]
fn a_rejected_message_with_a_retry_delay_lets_others_through() {
    let server = server();
    let a = send(&server, T0, "b@x", &[("n", "a")]);
    let b = send(&server, T0 + 1, "b@x", &[("n", "b")]);
    let first = fetch(&server, T0 + 2, "b@x", 60_000).unwrap();
    assert_eq!(first.mid, a.mid, "the older one is due first");
    ack(&server, T0 + 3, &first, Ack::Rejected { retry_delay: 1_000 }).unwrap();
    assert_eq!(fetch(&server, T0 + 3, "b@x", 60_000).unwrap().mid, b.mid);
    assert!(fetch(&server, T0 + 4, "b@x", 60_000).is_none());
    assert_eq!(fetch(&server, T0 + 1_003, "b@x", 60_000).unwrap().mid, a.mid);
}
