//! Every failed ack names its cause and changes nothing in storage.

use crate::support::*;
use pandora_mq::{Ack, Key, Message, Result};

/// Runs `attempt`, which must fail with `code`, and checks storage is untouched.
fn fails_without_change(server: &Srv, code: &str, attempt: impl FnOnce() -> Result<()>) {
    let before = server.storage().snapshot();
    let err = attempt().expect_err("the ack must fail");
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(server.storage().snapshot(), before, "a failed ack ({code}) changed storage");
}

fn leased(server: &Srv) -> Message {
    send(server, T0, "b@x", &[("k", "v")]);
    fetch(server, T0, "b@x", 1_000).unwrap()
}

#[test]
fn a_wrong_lid_is_a_lock_mismatch() {
    let server = server();
    let msg = leased(&server);
    let wrong = "0".repeat(32);
    for verdict in [Ack::Confirmed, Ack::Rejected { retry_delay: 0 }] {
        fails_without_change(&server, "lock_mismatch", || run(server.ack(T0 + 1, &msg.mid, &wrong, verdict)));
    }
    // A lid that is the real one plus a character, or a prefix of it, is wrong too.
    let longer = format!("{}0", lid(&msg));
    let shorter = &lid(&msg)[..31];
    for bad in [longer.as_str(), shorter] {
        fails_without_change(&server, "lock_mismatch", || run(server.ack(T0 + 1, &msg.mid, bad, Ack::Confirmed)));
    }
    ack(&server, T0 + 1, &msg, Ack::Confirmed).unwrap();
}

#[test]
fn the_right_lid_after_expiry_is_lease_expired() {
    let server = server();
    let msg = leased(&server);
    for verdict in [Ack::Confirmed, Ack::Rejected { retry_delay: 0 }] {
        fails_without_change(&server, "lease_expired", || ack(&server, T0 + 1_001, &msg, verdict));
    }
}

#[test]
fn an_unknown_mid_is_not_found() {
    let server = server();
    let msg = leased(&server);
    let unknown = Key::of(b"never sent");
    fails_without_change(&server, "not_found", || run(server.ack(T0 + 1, &unknown, lid(&msg), Ack::Confirmed)));
}

#[test]
fn acking_a_confirmed_message_is_not_found() {
    let server = server();
    let msg = leased(&server);
    ack(&server, T0 + 1, &msg, Ack::Confirmed).unwrap();
    for verdict in [Ack::Confirmed, Ack::Rejected { retry_delay: 0 }] {
        fails_without_change(&server, "not_found", || ack(&server, T0 + 2, &msg, verdict));
    }
}

#[test]
fn a_malformed_lid_is_an_invalid_key() {
    let server = server();
    let msg = leased(&server);
    for bad in ["", "has space", "tab\there", "ünïcode", &"a".repeat(257)] {
        fails_without_change(&server, "invalid_key", || run(server.ack(T0 + 1, &msg.mid, bad, Ack::Confirmed)));
    }
}

#[test]
fn a_retry_delay_out_of_range_is_refused() {
    let server = server();
    let msg = leased(&server);
    let too_long = server.config().max_delay + 1;
    for retry_delay in [-1, too_long] {
        fails_without_change(&server, "out_of_range", || ack(&server, T0 + 1, &msg, Ack::Rejected { retry_delay }));
    }
}

#[test]
fn an_ack_on_a_message_never_fetched_is_a_lock_mismatch() {
    let server = server();
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    fails_without_change(&server, "lock_mismatch", || run(server.ack(T0, &sent.mid, &"f".repeat(32), Ack::Confirmed)));
}

#[test]
fn after_failed_acks_the_lease_still_works() {
    let server = server();
    let msg = leased(&server);
    let _ = run(server.ack(T0 + 1, &msg.mid, &"0".repeat(32), Ack::Confirmed));
    let _ = run(server.ack(T0 + 1, &msg.mid, "", Ack::Confirmed));
    assert!(fetch(&server, T0 + 2, "b@x", 1_000).is_none(), "still leased");
    ack(&server, T0 + 3, &msg, Ack::Confirmed).unwrap();
    assert!(headers(&server, T0 + 3, "b@x").is_empty());
}
