//! A delayed message is due at `send_when = received_at + delay`, not a ms earlier.

use crate::support::*;
use pandora_mq::{SendRequest, Status};

fn delayed(receiver: &str, fields: &[(&str, &str)], delay: i64) -> SendRequest {
    SendRequest { delay, ..request(receiver, fields) }
}

#[test]
fn not_due_before_send_when_and_due_exactly_at_it() {
    let server = server();
    let sent = try_send(&server, T0, delayed("b@x", &[("k", "v")], 1_000)).unwrap();

    assert!(fetch(&server, T0, "b@x", 100).is_none());
    assert!(fetch(&server, T0 + 999, "b@x", 100).is_none());
    let msg = fetch(&server, T0 + 1_000, "b@x", 100).expect("due at exactly send_when");
    assert_eq!(msg.mid, sent.mid);
    assert_eq!(msg.received_at, T0);
    assert_eq!(msg.send_when, T0 + 1_000);
    assert_eq!(msg.status, Status::NotDelivered);
    assert_eq!(msg.delivery_count, 1);
}

#[test]
fn a_delayed_message_is_listed_before_it_is_due() {
    let server = server();
    let sent = try_send(&server, T0, delayed("b@x", &[("k", "v")], 60_000)).unwrap();
    let listed = headers(&server, T0 + 1, "b@x");
    assert_eq!(mids(&listed), [sent.mid]);
    assert_eq!(listed[0].send_when, T0 + 60_000);
    assert!(!listed[0].leased);
}

#[test]
fn the_earliest_due_message_comes_first_whatever_the_send_order() {
    let server = server();
    let late = try_send(&server, T0, delayed("b@x", &[("n", "late")], 5_000)).unwrap();
    let early = try_send(&server, T0 + 10, delayed("b@x", &[("n", "early")], 100)).unwrap();
    let now = try_send(&server, T0 + 20, delayed("b@x", &[("n", "now")], 0)).unwrap();

    // At T0+20 only the undelayed one is due, although it was sent last.
    assert_eq!(fetch(&server, T0 + 20, "b@x", 60_000).unwrap().mid, now.mid);
    assert!(fetch(&server, T0 + 109, "b@x", 60_000).is_none());
    assert_eq!(fetch(&server, T0 + 110, "b@x", 60_000).unwrap().mid, early.mid);
    assert!(fetch(&server, T0 + 4_999, "b@x", 60_000).is_none());
    assert_eq!(fetch(&server, T0 + 5_000, "b@x", 60_000).unwrap().mid, late.mid);
}

#[test]
fn a_delay_of_max_delay_is_accepted() {
    let server = server();
    let max = server.config().max_delay;
    let sent = try_send(&server, T0, delayed("b@x", &[("k", "v")], max)).unwrap();
    assert!(fetch(&server, T0 + max - 1, "b@x", 100).is_none());
    assert_eq!(fetch(&server, T0 + max, "b@x", 100).unwrap().mid, sent.mid);
}
