//! Crash safety of the production operations: a storage failure at any call of
//! extend, cancel, the batches, dead letters, redrive, ttl expiry, purge, peek,
//! stats and next_due is a `storage` error and leaves the store byte for byte
//! as it was; without a fault the operation does what it should.

use crate::support::{request, run, T0};
use pandora_mq::{
    Ack, AckRequest, Config, Cursor, FaultyStorage, MemoryStorage, Message, PurgeScope, Result, SeededRandom,
    SendRequest, Server,
};

type Faulty = Server<FaultyStorage<MemoryStorage>, SeededRandom>;

/// A store with, in b@x: one dead message, `held` leased until T0 + 100
/// (delivery 1 of 2 allowed), one due at T0 + 1 with a 50 ms ttl, one due at
/// T0 + 1; and one message in c@x.
fn world() -> (Faulty, Message) {
    let config = Config { max_deliveries: 2, ..Config::default() };
    let server = Server::new(FaultyStorage::new(MemoryStorage::new()), SeededRandom::new(5), config).unwrap();
    let send = |now, req: SendRequest| run(server.send(now, req)).unwrap();
    send(T0, request("b@x", &[("n", "dies")]));
    for _ in 0..2 {
        let m = run(server.fetch_latest(T0, "b@x", Some(100))).unwrap().unwrap();
        run(server.ack(T0, &m.mid, m.lid.as_deref().unwrap(), Ack::Rejected { retry_delay: 0 })).unwrap();
    }
    send(T0, request("b@x", &[("n", "held")]));
    let held = run(server.fetch_latest(T0, "b@x", Some(100))).unwrap().unwrap();
    send(T0 + 1, SendRequest { ttl: 50, ..request("b@x", &[("n", "short-lived")]) });
    send(T0 + 1, request("b@x", &[("n", "due")]));
    send(T0 + 1, request("c@x", &[("n", "other")]));
    (server, held)
}

/// Runs `op` on a fresh [`world`] (moved on by `setup`, without faults) with
/// each of its storage calls failing in turn, then once without a fault;
/// returns the clean result.
fn harmless_after<T>(
    what: &str,
    setup: impl Fn(&Faulty, Message) -> Message,
    op: impl Fn(&Faulty, &Message) -> Result<T>,
) -> T {
    for n in 1.. {
        let (server, held) = world();
        let held = setup(&server, held);
        let storage = server.storage();
        let before = storage.inner().snapshot();
        storage.reset();
        storage.fail_at(Some(n));
        let result = op(&server, &held);
        let calls = storage.calls();
        storage.fail_at(None);
        if calls < n {
            assert!(n > 1, "{what} made no storage call");
            return result.unwrap_or_else(|e| panic!("{what} failed without a fault: {e}"));
        }
        let err = result.err().unwrap_or_else(|| panic!("{what} succeeded although call {n} failed"));
        assert_eq!(err.code(), "storage", "{what}, fault at call {n}: {err}");
        assert_eq!(storage.inner().snapshot(), before, "{what} changed the store although call {n} failed");
    }
    unreachable!()
}

fn every_fault_is_harmless<T>(what: &str, op: impl Fn(&Faulty, &Message) -> Result<T>) -> T {
    harmless_after(what, |_, held| held, op)
}

/// Rejects `held` once and fetches it again: its second and last delivery.
fn second_delivery(s: &Faulty, held: Message) -> Message {
    run(s.ack(T0, &held.mid, held.lid.as_deref().unwrap(), Ack::Rejected { retry_delay: 0 })).unwrap();
    let again = run(s.fetch_latest(T0, "b@x", Some(10))).unwrap().unwrap();
    assert_eq!((again.mid, again.delivery_count), (held.mid, 2));
    again
}

#[test]
fn extend() {
    let until = every_fault_is_harmless("extend", |s, held| {
        run(s.extend(T0 + 50, &held.mid, held.lid.as_deref().unwrap(), 1_000))
    });
    assert_eq!(until, T0 + 1_050);
}

#[test]
fn cancel() {
    assert!(every_fault_is_harmless("cancel", |s, held| run(s.cancel(T0, "b@x", &held.mid))));
}

#[test]
fn reject_at_the_limit() {
    harmless_after("reject at the limit", second_delivery, |s, m| {
        run(s.ack(T0, &m.mid, m.lid.as_deref().unwrap(), Ack::Rejected { retry_delay: 0 }))
    });
}

#[test]
fn send_batch() {
    let receipts = every_fault_is_harmless("send_batch", |s, _| {
        let items = vec![request("b@x", &[("n", "1")]), request("d@x", &[("n", "2")])];
        run(s.send_batch(T0, items))
    });
    assert!(receipts.iter().all(|r| !r.duplicate));
}

#[test]
fn fetch_batch_retiring_an_expired_message() {
    let got = every_fault_is_harmless("fetch_batch", |s, _| run(s.fetch_batch(T0 + 60, "b@x", 10, None)));
    let names: Vec<_> = got.iter().map(|m| m.body.as_ref().unwrap().get("n").unwrap().to_string()).collect();
    assert_eq!(names, ["due"], "the short-lived one expired and is not delivered");
}

#[test]
fn fetch_retiring_a_lease_at_the_limit() {
    // The second lease runs out at T0 + 10: a fetch at T0 + 11 that meets it
    // makes it dead, and hands out the two other due messages.
    let got = harmless_after("fetch_batch", second_delivery, |s, _| run(s.fetch_batch(T0 + 11, "b@x", 3, Some(10))));
    assert_eq!(got.len(), 2);
    let (s, held) = world();
    let m = second_delivery(&s, held);
    run(s.fetch_batch(T0 + 11, "b@x", 3, Some(10))).unwrap();
    let dead = run(s.fetch_dead(T0 + 11, "b@x", Cursor::default(), 10)).unwrap();
    assert!(dead.iter().any(|d| d.mid == m.mid) && dead.len() == 2, "{dead:?}");
}

#[test]
fn ack_batch() {
    let results = every_fault_is_harmless("ack_batch", |s, held| {
        let acks = vec![
            AckRequest { mid: held.mid, lid: held.lid.clone().unwrap(), ack: Ack::Confirmed },
            AckRequest { mid: held.mid, lid: "ffff".into(), ack: Ack::Confirmed },
        ];
        run(s.ack_batch(T0, acks))
    });
    assert!(results[0].is_ok() && results[1].is_err());
}

#[test]
fn redrive() {
    assert_eq!(every_fault_is_harmless("redrive", |s, _| run(s.redrive(T0, "b@x", 10))), 1);
}

#[test]
fn purge_in_one_chunk() {
    assert_eq!(every_fault_is_harmless("purge", |s, _| run(s.purge(T0, "b@x", PurgeScope::All, 100))), 4);
}

#[test]
fn purge_dead() {
    assert_eq!(every_fault_is_harmless("purge dead", |s, _| run(s.purge(T0, "b@x", PurgeScope::Dead, 100))), 1);
}

#[test]
fn reenqueue_retiring_expired_and_dead() {
    every_fault_is_harmless("reenqueue", |s, _| run(s.reenqueue(T0 + 1_000)));
}

#[test]
fn reads_change_nothing() {
    every_fault_is_harmless("peek", |s, _| run(s.peek(T0 + 60, "b@x", 10)));
    // Stats scans the built-in store (a sole-writer store's mirror is covered
    // in `stats_mirror.rs`): every fault of its scan is a storage error.
    let (server, _) = world();
    let stats = run(server.stats(T0 + 1, "b@x")).unwrap();
    for n in 1.. {
        let opened =
            Server::new(FaultyStorage::new(server.storage().inner()), SeededRandom::new(6), Config::default()).unwrap();
        opened.storage().fail_at(Some(n));
        match run(opened.stats(T0 + 1, "b@x")) {
            Err(e) => assert_eq!(e.code(), "storage", "stats, fault at call {n}: {e}"),
            Ok(scanned) => {
                assert!(n > 1, "stats of an opened store made no storage call");
                assert_eq!(scanned, stats, "two servers scanning the same rows agree");
                break;
            }
        }
    }
    assert_eq!((stats.ready, stats.leased, stats.dead), (2, 1, 1));
    every_fault_is_harmless("next_due", |s, _| run(s.next_due("b@x")));
    every_fault_is_harmless("fetch_dead", |s, _| run(s.fetch_dead(T0, "b@x", Cursor::default(), 10)));
}
