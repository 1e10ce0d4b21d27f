//! The stats mirror of a sole-writer store: after the first `stats` of a
//! mailbox, later calls read nothing, and they still answer what a scan would,
//! also after a write that failed (whether or not it landed). The built-in
//! store does not declare itself a sole writer (its scan is fast enough), so
//! these tests wrap it in one that does, as a Durable Object's storage is.

use crate::support::{request, run, T0};
use pandora_mq::{Ack, Batch, Config, FaultyStorage, MemoryStorage, Result, SeededRandom, Server, Stats, Storage};
use std::cell::Cell;

/// What a server new to `store` (so with no mirror) counts for `receiver`.
fn scanned<S: Storage>(store: &S, now: i64, receiver: &str) -> Stats {
    let fresh = Server::new(store, SeededRandom::new(1), Config::default()).unwrap();
    run(fresh.stats(now, receiver)).unwrap()
}

/// A built-in store already holding `n` messages for `receiver`, written by another server.
fn store_with(receiver: &str, n: usize) -> SoleWriter {
    let store = SoleWriter(MemoryStorage::new());
    let writer = Server::new(&store, SeededRandom::new(9), Config::default()).unwrap();
    for i in 0..n {
        run(writer.send(T0, request(receiver, &[("n", &i.to_string())]))).unwrap();
    }
    store
}

#[test]
fn a_server_that_found_its_store_empty_never_scans() {
    let server =
        Server::new(FaultyStorage::new(SoleWriter(MemoryStorage::new())), SeededRandom::new(3), Config::default())
            .unwrap();
    for n in 0..5 {
        run(server.send(T0, request("b@x", &[("n", &n.to_string())]))).unwrap();
    }
    run(server.send(T0, pandora_mq::SendRequest { delay: 50, ..request("c@x", &[("n", "9")]) })).unwrap();
    assert_eq!(server.mirrored_index_rows(), 6, "rows mirrored as they are written, before any stats");
    server.storage().reset();
    let b = run(server.stats(T0, "b@x")).unwrap();
    let c = run(server.stats(T0, "c@x")).unwrap();
    let none = run(server.stats(T0, "nobody@x")).unwrap();
    assert_eq!(server.storage().calls(), 0, "not even a first call reads the store");
    assert_eq!((b.ready, c.delayed, none), (5, 1, Stats::default()));
    let held = run(server.fetch_latest(T0, "b@x", Some(100))).unwrap().unwrap();
    run(server.ack(T0, &held.mid, held.lid.as_deref().unwrap(), Ack::Confirmed)).unwrap();
    for receiver in ["b@x", "c@x", "nobody@x"] {
        assert_eq!(run(server.stats(T0 + 60, receiver)).unwrap(), scanned(server.storage().inner(), T0 + 60, receiver));
    }
}

#[test]
fn stats_after_the_first_read_nothing() {
    // Opened on data written before it: the first call per mailbox scans.
    let server =
        Server::new(FaultyStorage::new(store_with("b@x", 5)), SeededRandom::new(3), Config::default()).unwrap();
    let first = run(server.stats(T0, "b@x")).unwrap();
    assert_eq!(server.mirrored_index_rows(), 5);
    let held = run(server.fetch_latest(T0, "b@x", Some(100))).unwrap().unwrap();
    run(server.ack(T0, &held.mid, held.lid.as_deref().unwrap(), Ack::Confirmed)).unwrap();
    server.storage().reset();
    let later = run(server.stats(T0, "b@x")).unwrap();
    assert_eq!(server.storage().calls(), 0, "no storage call once mirrored");
    assert_eq!((first.ready, later.ready), (5, 4));
    assert_eq!(later, scanned(server.storage().inner(), T0, "b@x"));
    // Another mailbox is scanned once, on its own first call.
    run(server.stats(T0, "c@x")).unwrap();
    assert_eq!(server.storage().calls(), 2);
}

#[test]
fn a_store_shared_by_others_is_scanned_every_time() {
    let shared = MemoryStorage::new();
    let server = Server::new(&shared, SeededRandom::new(3), Config::default()).unwrap();
    run(server.send(T0, request("b@x", &[("n", "1")]))).unwrap();
    assert_eq!(run(server.stats(T0, "b@x")).unwrap().ready, 1);
    assert_eq!(server.mirrored_index_rows(), 0);
    // Another writer of the same store: this server sees its message.
    let other = Server::new(&shared, SeededRandom::new(4), Config::default()).unwrap();
    run(other.send(T0, request("b@x", &[("n", "2")]))).unwrap();
    assert_eq!(run(server.stats(T0, "b@x")).unwrap().ready, 2);
}

/// The built-in store declared written by its server alone.
struct SoleWriter(MemoryStorage);

impl Storage for SoleWriter {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.0.get(key).await
    }
    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        self.0.list(prefix, start, limit).await
    }
    async fn write(&self, batch: Batch) -> Result<()> {
        self.0.write(batch).await
    }
    fn sole_writer(&self) -> bool {
        true
    }
    fn holds_nothing(&self) -> Option<bool> {
        self.0.holds_nothing()
    }
}

/// A sole-written store whose armed write lands and then reports a failure:
/// the ambiguous outcome a remote store can give.
struct LandsThenFails {
    inner: MemoryStorage,
    armed: Cell<bool>,
}

impl Storage for LandsThenFails {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.inner.get(key).await
    }
    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        self.inner.list(prefix, start, limit).await
    }
    async fn write(&self, batch: Batch) -> Result<()> {
        self.inner.write(batch).await?;
        if self.armed.replace(false) {
            return Err(pandora_mq::Error::Storage("the reply was lost".into()));
        }
        Ok(())
    }
    fn sole_writer(&self) -> bool {
        true
    }
}

#[test]
fn a_write_that_failed_after_landing_leaves_stats_exact() {
    let store = LandsThenFails { inner: MemoryStorage::new(), armed: Cell::new(false) };
    let server = Server::new(&store, SeededRandom::new(5), Config::default()).unwrap();
    run(server.send(T0, request("b@x", &[("n", "1")]))).unwrap();
    assert_eq!(run(server.stats(T0, "b@x")).unwrap().ready, 1);
    store.armed.set(true);
    assert!(run(server.send(T0, request("b@x", &[("n", "2")]))).is_err());
    assert_eq!(server.mirrored_index_rows(), 0, "an unknown outcome drops the mirror");
    let stats = run(server.stats(T0, "b@x")).unwrap();
    assert_eq!(stats.ready, 2, "the landed send is counted");
    assert_eq!(stats, scanned(&store.inner, T0, "b@x"));
}

#[test]
fn a_fault_at_any_call_leaves_the_mirror_equal_to_a_scan() {
    for fail_at in 1..=8 {
        let server =
            Server::new(FaultyStorage::new(SoleWriter(MemoryStorage::new())), SeededRandom::new(7), Config::default())
                .unwrap();
        run(server.send(T0, request("b@x", &[("n", "1")]))).unwrap();
        run(server.send(T0, pandora_mq::SendRequest { delay: 50, ..request("b@x", &[("n", "2")]) })).unwrap();
        run(server.stats(T0, "b@x")).unwrap();
        server.storage().reset();
        server.storage().fail_at(Some(fail_at));
        let fetched = run(server.fetch_batch(T0 + 60, "b@x", 2, Some(100)));
        let acked = fetched.as_ref().ok().map(|got| {
            let acks = got
                .iter()
                .map(|m| pandora_mq::AckRequest { mid: m.mid, lid: m.lid.clone().unwrap(), ack: Ack::Confirmed })
                .collect();
            run(server.ack_batch(T0 + 60, acks))
        });
        server.storage().fail_at(None);
        let failed = fetched.is_err() || acked.is_some_and(|a| a.is_err());
        for now in [T0 + 60, T0 + 200] {
            assert_eq!(
                run(server.stats(now, "b@x")).unwrap(),
                scanned(server.storage().inner(), now, "b@x"),
                "fault at call {fail_at}"
            );
        }
        if !failed {
            assert_eq!(run(server.stats(T0 + 200, "b@x")).unwrap(), Stats::default());
        }
    }
}

#[test]
fn a_warm_up_in_steps_between_writes_ends_with_no_scan_anywhere() {
    let store = store_with("b@x", 12);
    {
        // A dead letter in c@x, written before the server below opens the store.
        let writer =
            Server::new(&store, SeededRandom::new(8), Config { max_deliveries: 1, ..Config::default() }).unwrap();
        run(writer.send(T0, request("c@x", &[("n", "dies")]))).unwrap();
        let m = run(writer.fetch_latest(T0, "c@x", Some(10))).unwrap().unwrap();
        run(writer.ack(T0, &m.mid, m.lid.as_deref().unwrap(), Ack::Rejected { retry_delay: 0 })).unwrap();
    }
    let server = Server::new(FaultyStorage::new(store), SeededRandom::new(3), Config::default()).unwrap();
    let mut steps = 0;
    let mut n = 0;
    loop {
        server.storage().reset();
        let done = run(server.warm_stats(5)).unwrap();
        assert!(server.storage().calls() <= 3, "one list per step (and the format check on the first)");
        steps += 1;
        if done {
            break;
        }
        // Writes between steps, on both sides of where the warm-up has read to.
        n += 1;
        run(server.send(T0 + n, request("b@x", &[("more", &n.to_string())]))).unwrap();
        run(server.send(T0 + n, request("a@x", &[("early", &n.to_string())]))).unwrap();
        if let Some(m) = run(server.fetch_latest(T0 + n, "b@x", Some(100))).unwrap() {
            run(server.ack(T0 + n, &m.mid, m.lid.as_deref().unwrap(), Ack::Confirmed)).unwrap();
        }
        if n == 2 {
            // A stats call while warming reads what the warm-up has left, in one go.
            server.storage().reset();
            run(server.stats(T0 + n, "b@x")).unwrap();
            assert_eq!(server.storage().calls(), 2, "the rest of each range in one list");
        }
    }
    assert_eq!(steps, 3, "two steps, then the stats call read the rest: the third finds it done");
    server.storage().reset();
    let now = T0 + 1_000;
    for receiver in ["a@x", "b@x", "c@x", "nobody@x"] {
        let mirrored = run(server.stats(now, receiver)).unwrap();
        assert_eq!(mirrored, scanned(server.storage().inner(), now, receiver), "{receiver}");
    }
    assert_eq!(server.storage().calls(), 0, "after the warm-up no stats call reads the store");
    assert_eq!(run(server.stats(now, "c@x")).unwrap().dead, 1);
    assert!(run(server.warm_stats(5)).unwrap(), "done stays done");
}

#[test]
fn a_warm_up_on_a_store_found_empty_or_shared_has_nothing_to_do() {
    let server =
        Server::new(FaultyStorage::new(SoleWriter(MemoryStorage::new())), SeededRandom::new(3), Config::default())
            .unwrap();
    assert!(run(server.warm_stats(5)).unwrap());
    assert_eq!(server.storage().calls(), 0);
    let store = store_with("b@x", 3);
    let shared = &store.0;
    let server = Server::new(shared, SeededRandom::new(3), Config::default()).unwrap();
    assert!(run(server.warm_stats(5)).unwrap());
    assert_eq!(server.mirrored_index_rows(), 0);
}
