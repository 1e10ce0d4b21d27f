//! Content-based deduplication: a client's retry of the same send (same fields,
//! same clientTime) while pending, or within the dedupe window after the first
//! send was received (as SQS FIFO counts it), enqueues nothing and returns the
//! same mid.

use crate::support::*;
use pandora_mq::config::MINUTE;
use pandora_mq::{Ack, Config, SendRequest};

fn retry_of(fields: &[(&str, &str)]) -> SendRequest {
    SendRequest { client_time: Some(T0 - 5), ..request("b@x", fields) }
}

#[test]
fn a_retry_while_pending_is_a_duplicate_with_the_same_mid() {
    let server = server();
    let first = try_send(&server, T0, retry_of(&[("k", "v")])).unwrap();
    assert!(!first.duplicate);
    let before = server.storage().snapshot();

    let again = try_send(&server, T0 + 7, retry_of(&[("k", "v")])).unwrap();
    assert_eq!(again.mid, first.mid);
    assert!(again.duplicate);
    assert_eq!(server.storage().snapshot(), before, "a duplicate changes nothing");

    assert_eq!(fetch(&server, T0 + 7, "b@x", 60_000).unwrap().mid, first.mid);
    assert!(fetch(&server, T0 + 7, "b@x", 60_000).is_none(), "delivered only once");
    assert_eq!(run(server.stats(T0 + 7, "b@x")).unwrap().leased, 1);
}

#[test]
fn a_retry_while_leased_leaves_the_lease_alone() {
    let server = server();
    try_send(&server, T0, retry_of(&[("k", "v")])).unwrap();
    let msg = fetch(&server, T0, "b@x", 60_000).unwrap();
    assert!(try_send(&server, T0 + 1, retry_of(&[("k", "v")])).unwrap().duplicate);
    ack(&server, T0 + 2, &msg, Ack::Confirmed).unwrap();
}

#[test]
fn the_blob_is_counted_once_for_a_duplicate() {
    let server = server();
    let sent = try_send(&server, T0, retry_of(&[("k", "v")])).unwrap();
    try_send(&server, T0 + 1, retry_of(&[("k", "v")])).unwrap();
    assert_eq!(record(&server, &sent.mid).unwrap().refs, 1);
}

#[test]
fn a_retry_within_the_window_after_confirm_enqueues_nothing() {
    let server = server();
    let first = try_send(&server, T0, retry_of(&[("k", "v")])).unwrap();
    let msg = fetch(&server, T0, "b@x", 60_000).unwrap();
    ack(&server, T0 + 100, &msg, Ack::Confirmed).unwrap();
    let before = server.storage().snapshot();

    // The default window is 5 minutes, counted from the first send's receipt.
    for at in [T0 + 100, T0 + 5 * MINUTE - 1] {
        let again = try_send(&server, at, retry_of(&[("k", "v")])).unwrap();
        assert_eq!(again.mid, first.mid);
        assert!(again.duplicate, "at {at}");
        assert_eq!(server.storage().snapshot(), before);
        assert!(fetch(&server, at, "b@x", 60_000).is_none(), "confirmed: never again");
    }
}

#[test]
fn a_retry_after_the_window_is_a_new_message_with_the_same_mid() {
    let server = server();
    let first = try_send(&server, T0, retry_of(&[("k", "v")])).unwrap();
    let msg = fetch(&server, T0, "b@x", 60_000).unwrap();
    ack(&server, T0 + 100, &msg, Ack::Confirmed).unwrap();

    let later = T0 + 5 * MINUTE;
    let again = try_send(&server, later, retry_of(&[("k", "v")])).unwrap();
    assert_eq!(again.mid, first.mid);
    assert!(!again.duplicate);
    let redelivered = fetch(&server, later, "b@x", 60_000).expect("enqueued again");
    assert_eq!(redelivered.mid, first.mid);
    assert_eq!(redelivered.delivery_count, 1);
    assert_eq!(redelivered.received_at, later);
    // The old record was replaced, and confirming again works.
    ack(&server, later + 1, &redelivered, Ack::Confirmed).unwrap();
    assert_eq!(record(&server, &first.mid).unwrap().received_at, later);
}

#[test]
fn later_sends_do_not_collect_a_record_before_its_window_closes() {
    let server = server();
    let first = try_send(&server, T0, retry_of(&[("k", "v")])).unwrap();
    let msg = fetch(&server, T0, "b@x", 60_000).unwrap();
    ack(&server, T0, &msg, Ack::Confirmed).unwrap();

    // Sends in the window's last millisecond sweep, but leave the record.
    let last = T0 + 5 * MINUTE - 1;
    for i in 0..4 {
        send(&server, last, "b@x", &[("other", &i.to_string())]);
    }
    assert!(record(&server, &first.mid).is_some(), "kept in its window");
    let again = try_send(&server, last, retry_of(&[("k", "v")])).unwrap();
    assert_eq!((again.mid, again.duplicate), (first.mid, true));
    // Once the window has closed, the sweep of later sends collects it.
    for i in 0..8 {
        send(&server, last + 1, "b@x", &[("more", &i.to_string())]);
    }
    assert!(record(&server, &first.mid).is_none(), "swept");
}

#[test]
fn a_custom_window_is_honoured_and_zero_disables_it() {
    for window in [0, 1_000] {
        let server = server_with(Config { dedupe_window: window, ..Config::default() });
        try_send(&server, T0, retry_of(&[("k", "v")])).unwrap();
        let msg = fetch(&server, T0, "b@x", 60_000).unwrap();
        ack(&server, T0, &msg, Ack::Confirmed).unwrap();
        // The window closes `window` after the first send was received.
        let closes = T0 + window;
        if window > 0 {
            assert!(try_send(&server, closes - 1, retry_of(&[("k", "v")])).unwrap().duplicate);
        }
        assert!(!try_send(&server, closes, retry_of(&[("k", "v")])).unwrap().duplicate);
    }
}

#[test]
fn a_retry_of_a_message_pending_past_its_window_is_still_a_duplicate() {
    let server = server();
    let req = SendRequest { delay: 60 * MINUTE, ..retry_of(&[("k", "v")]) };
    let first = try_send(&server, T0, req.clone()).unwrap();
    let again = try_send(&server, T0 + 10 * MINUTE, req).unwrap();
    assert_eq!((again.mid, again.duplicate), (first.mid, true));
    assert_eq!(run(server.stats(T0 + 10 * MINUTE, "b@x")).unwrap().delayed, 1);
}

#[test]
fn sends_without_client_time_never_collide() {
    let server = server();
    let a = send(&server, T0, "b@x", &[("k", "v")]);
    let b = send(&server, T0, "b@x", &[("k", "v")]);
    assert_ne!(a.mid, b.mid);
    assert!(!a.duplicate && !b.duplicate);
    assert_eq!(headers(&server, T0, "b@x").len(), 2);
}

#[test]
fn a_different_client_time_body_or_sender_is_a_different_message() {
    let server = server();
    let base = try_send(&server, T0, retry_of(&[("k", "v")])).unwrap();
    let variants = [
        SendRequest { client_time: Some(T0 - 4), ..retry_of(&[("k", "v")]) },
        retry_of(&[("k", "w")]),
        retry_of(&[("k", "v"), ("k", "v")]),
        SendRequest { sender: "other@x".into(), ..retry_of(&[("k", "v")]) },
    ];
    for req in variants {
        let got = try_send(&server, T0, req.clone()).unwrap();
        assert!(!got.duplicate, "{req:?}");
        assert_ne!(got.mid, base.mid, "{req:?}");
    }
    assert_eq!(headers(&server, T0, "b@x").len(), 5);
}

#[test]
fn a_different_delay_is_still_the_same_message() {
    let server = server();
    let first = try_send(&server, T0, retry_of(&[("k", "v")])).unwrap();
    let again = SendRequest { delay: 10_000, ..retry_of(&[("k", "v")]) };
    let got = try_send(&server, T0, again).unwrap();
    assert_eq!(got.mid, first.mid);
    assert!(got.duplicate);
    assert_eq!(headers(&server, T0, "b@x")[0].send_when, T0, "the first send's delay stands");
}
