//! `extend`: the current lid of an unexpired lease renews it, up to 12 h after
//! its fetch; anything else fails like an ack and changes nothing.

use crate::support::*;
use pandora_mq::config::HOUR;

#[test]
fn extending_moves_the_lease_end_and_keeps_the_lid() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 1_000).unwrap();
    let until = run(server.extend(T0 + 900, &msg.mid, lid(&msg), 5_000)).unwrap();
    assert_eq!(until, T0 + 5_900);
    // Not delivered again while the extended lease runs, and the same lid acks.
    assert!(fetch(&server, T0 + 5_900, "b@x", 1_000).is_none());
    assert_eq!(run(server.stats(T0 + 5_900, "b@x")).unwrap().leased, 1);
    ack(&server, T0 + 5_900, &msg, pandora_mq::Ack::Confirmed).unwrap();
}

#[test]
fn an_extended_lease_that_runs_out_is_delivered_again() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 1_000).unwrap();
    run(server.extend(T0 + 10, &msg.mid, lid(&msg), 100)).unwrap();
    assert!(fetch(&server, T0 + 110, "b@x", 1_000).is_none());
    assert_eq!(fetch(&server, T0 + 111, "b@x", 1_000).unwrap().mid, msg.mid);
}

#[test]
fn wrong_lid_expired_lease_and_too_long_fail_with_their_codes() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 1_000).unwrap();
    let before = server.storage().snapshot();
    let code = |r: pandora_mq::Result<i64>| r.unwrap_err().code();
    assert_eq!(code(run(server.extend(T0, &msg.mid, "ffff", 1_000))), "lock_mismatch");
    assert_eq!(code(run(server.extend(T0 + 1_001, &msg.mid, lid(&msg), 1_000))), "lease_expired");
    assert_eq!(code(run(server.extend(T0, &msg.mid, lid(&msg), 0))), "out_of_range");
    assert_eq!(code(run(server.extend(T0, &pandora_mq::Key::of(b"no"), lid(&msg), 10))), "not_found");
    assert_eq!(server.storage().snapshot(), before);
}

#[test]
fn a_lease_never_ends_more_than_12_hours_after_its_fetch() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", HOUR).unwrap();
    run(server.extend(T0 + HOUR / 2, &msg.mid, lid(&msg), 11 * HOUR + HOUR / 2)).unwrap();
    let err = run(server.extend(T0 + HOUR, &msg.mid, lid(&msg), 11 * HOUR + 1)).unwrap_err();
    assert_eq!(err.code(), "out_of_range");
    // A new fetch starts a new 12 h budget.
    let again = fetch(&server, T0 + 12 * HOUR + 1, "b@x", HOUR).unwrap();
    run(server.extend(T0 + 13 * HOUR, &again.mid, lid(&again), 11 * HOUR)).unwrap();
}
