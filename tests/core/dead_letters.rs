//! `max_deliveries`: a message at the limit that is rejected or whose lease runs
//! out becomes dead: never delivered, listed apart, counted, redriven.

use crate::support::*;
use pandora_mq::{Ack, Config, Cursor, Status};

fn limited(n: u32) -> Srv {
    server_with(Config { max_deliveries: n, ..Config::default() })
}

fn dead(server: &Srv, now: i64) -> Vec<pandora_mq::Message> {
    run(server.fetch_dead(now, "b@x", Cursor::default(), 100)).unwrap()
}

#[test]
fn a_reject_at_the_limit_makes_it_dead() {
    let server = limited(2);
    let sent = send(&server, T0, "b@x", &[("k", "v")]);
    let first = fetch(&server, T0, "b@x", 100).unwrap();
    ack(&server, T0, &first, Ack::Rejected { retry_delay: 0 }).unwrap();
    let second = fetch(&server, T0, "b@x", 100).unwrap();
    assert_eq!(second.delivery_count, 2);
    ack(&server, T0, &second, Ack::Rejected { retry_delay: 0 }).unwrap();
    assert!(fetch(&server, T0 + 10_000, "b@x", 100).is_none(), "never delivered again");
    assert!(headers(&server, T0, "b@x").is_empty(), "not pending");
    let listed = dead(&server, T0);
    assert_eq!(mids(&listed), [sent.mid]);
    assert_eq!((listed[0].status, listed[0].delivery_count), (Status::Dead, 2));
    assert_eq!(run(server.stats(T0, "b@x")).unwrap().dead, 1);
    assert!(run(server.fetch_blob(&sent.mid)).unwrap().is_some(), "its body is kept for redrive");
}

#[test]
fn a_lease_that_runs_out_at_the_limit_makes_it_dead_when_met() {
    let server = limited(1);
    let a = send(&server, T0, "b@x", &[("n", "a")]);
    let b = send(&server, T0 + 1, "b@x", &[("n", "b")]);
    assert_eq!(fetch(&server, T0 + 1, "b@x", 100).unwrap().mid, a.mid);
    // At T0 + 102 a's lease has run out; b is due earlier and comes first,
    // then the next fetch meets a, retires it and has nothing to hand out.
    assert_eq!(fetch(&server, T0 + 102, "b@x", 100).unwrap().mid, b.mid);
    assert!(fetch(&server, T0 + 102, "b@x", 100).is_none());
    assert_eq!(mids(&dead(&server, T0 + 102)), [a.mid]);
}

#[test]
fn reenqueue_finds_expired_leases_at_the_limit_too() {
    let server = limited(1);
    let a = send(&server, T0, "b@x", &[("n", "a")]);
    fetch(&server, T0, "b@x", 100).unwrap();
    assert_eq!(run(server.reenqueue(T0 + 101)).unwrap(), 0, "dead, not released");
    assert_eq!(mids(&dead(&server, T0 + 101)), [a.mid]);
}

#[test]
fn redrive_brings_dead_messages_back_oldest_first_with_a_fresh_count() {
    let server = limited(1);
    let mut sent = Vec::new();
    for i in 0..3 {
        sent.push(send(&server, T0 + i, "b@x", &[("n", &i.to_string())]).mid);
        let msg = fetch(&server, T0 + i, "b@x", 100).unwrap();
        ack(&server, T0 + i, &msg, Ack::Rejected { retry_delay: 0 }).unwrap();
    }
    assert_eq!(run(server.redrive(T0 + 10, "b@x", 2)).unwrap(), 2);
    assert_eq!(mids(&dead(&server, T0 + 10)), [sent[2]]);
    let back = headers(&server, T0 + 10, "b@x");
    assert_eq!(mids(&back), &sent[..2]);
    assert!(back.iter().all(|m| m.delivery_count == 0 && m.status == Status::NotDelivered));
    let msg = fetch(&server, T0 + 10, "b@x", 100).unwrap();
    assert!(sent[..2].contains(&msg.mid));
    assert_eq!(msg.delivery_count, 1);
    assert_eq!(run(server.redrive(T0 + 10, "b@x", 10)).unwrap(), 1);
    assert_eq!(run(server.redrive(T0 + 10, "b@x", 10)).unwrap(), 0, "nothing left to move");
}

#[test]
fn without_a_limit_nothing_dies() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    for i in 0..20 {
        let msg = fetch(&server, T0 + i, "b@x", 100).unwrap();
        ack(&server, T0 + i, &msg, Ack::Rejected { retry_delay: 0 }).unwrap();
    }
    assert!(dead(&server, T0 + 100).is_empty());
}
