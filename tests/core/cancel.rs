//! `cancel`: a pending message (delayed, due or leased) is removed with its body;
//! anything else is `false` and changes nothing.

use crate::support::*;
use pandora_mq::{Ack, Key, SendRequest};

#[test]
fn delayed_due_and_leased_messages_can_be_cancelled() {
    let server = server();
    let delayed = try_send(&server, T0, SendRequest { delay: 5_000, ..request("b@x", &[("n", "1")]) }).unwrap();
    let due = send(&server, T0, "b@x", &[("n", "2")]);
    let leased = send(&server, T0 + 1, "b@x", &[("n", "3")]);
    let held = fetch(&server, T0 + 1, "b@x", 1_000).unwrap();
    assert_eq!(held.mid, due.mid);
    for mid in [delayed.mid, due.mid] {
        assert!(run(server.cancel(T0 + 1, "b@x", &mid)).unwrap());
    }
    // The lease on a cancelled message is gone: its ack is not_found.
    assert_eq!(ack(&server, T0 + 2, &held, Ack::Confirmed).unwrap_err().code(), "not_found");
    assert_eq!(mids(&headers(&server, T0 + 2, "b@x")), [leased.mid]);
    assert!(run(server.cancel(T0 + 2, "b@x", &leased.mid)).unwrap());
    assert!(server.storage().is_empty(), "bodies released: {:?}", keys(&server));
}

#[test]
fn cancelling_what_is_not_pending_is_false_and_changes_nothing() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    let other = send(&server, T0, "c@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 1_000).unwrap();
    ack(&server, T0, &msg, Ack::Confirmed).unwrap();
    let before = server.storage().snapshot();
    assert!(!run(server.cancel(T0, "b@x", &sent.mid)).unwrap(), "confirmed");
    assert!(!run(server.cancel(T0, "b@x", &other.mid)).unwrap(), "another mailbox's");
    assert!(!run(server.cancel(T0, "b@x", &Key::of(b"unknown"))).unwrap());
    assert_eq!(server.storage().snapshot(), before);
}
