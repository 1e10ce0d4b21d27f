//! A store that caps how many keys one write holds (`Storage::write_limit`,
//! Deno KV's 1,000 mutations): `purge`, `redrive` and `reenqueue` split their
//! work into writes that fit, each holding whole messages, and end in the
//! same state as on a store without a cap.

use crate::support::{request, run, T0};
use pandora_mq::{Ack, Batch, Config, MemoryStorage, PurgeScope, Result, SeededRandom, Server, Storage, WriteLimit};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

/// The built-in store, refusing any write over `cap`, as Deno KV does.
struct Capped {
    inner: MemoryStorage,
    cap: Option<WriteLimit>,
    writes: RefCell<Vec<usize>>,
    /// Fails the write with this number (1-based), once.
    fail_write: Cell<Option<usize>>,
}

impl Storage for Capped {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.inner.get(key).await
    }
    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        self.inner.list(prefix, start, limit).await
    }
    async fn write(&self, batch: Batch) -> Result<()> {
        if let Some(cap) = self.cap.filter(|cap| !cap.holds(cap.weigh(&batch))) {
            return Err(pandora_mq::Error::Storage(format!("a write of {:?} is over {cap:?}", cap.weigh(&batch))));
        }
        self.writes.borrow_mut().push(batch.len());
        if self.fail_write.get() == Some(self.writes.borrow().len()) {
            self.fail_write.set(None);
            return Err(pandora_mq::Error::Storage("injected".into()));
        }
        self.inner.write(batch).await
    }
    fn write_limit(&self) -> Option<WriteLimit> {
        self.cap
    }
}

type Srv = Server<Capped, SeededRandom>;

/// At most `n` keys per write.
fn keys(n: usize) -> Option<WriteLimit> {
    Some(WriteLimit { keys: n, ..WriteLimit::NONE })
}

fn server(cap: Option<WriteLimit>) -> Srv {
    let store = Capped { inner: MemoryStorage::new(), cap, writes: RefCell::default(), fail_write: Cell::new(None) };
    Server::new(store, SeededRandom::new(7), Config { max_deliveries: 1, ..Config::default() }).unwrap()
}

/// `n` messages to b@x, then each fetched and, when `kill`, rejected (dead at once).
fn fill(server: &Srv, n: usize, kill: bool) {
    fill_box(server, "b@x", n, kill);
}

fn fill_box(server: &Srv, mailbox: &str, n: usize, kill: bool) {
    for i in 0..n {
        run(server.send(T0, request(mailbox, &[("n", &i.to_string())]))).unwrap();
    }
    for _ in 0..n {
        let m = run(server.fetch_latest(T0, mailbox, Some(1_000))).unwrap().unwrap();
        if kill {
            run(server.ack(T0, &m.mid, m.lid.as_deref().unwrap(), Ack::Rejected { retry_delay: 0 })).unwrap();
        }
    }
    server.storage().writes.borrow_mut().clear();
}

fn rows(server: &Srv) -> BTreeMap<String, Vec<u8>> {
    server.storage().inner.snapshot()
}

/// The last operation made more than one write (the store refused any over its cap).
fn assert_split(server: &Srv) {
    let writes = server.storage().writes.borrow().clone();
    assert!(writes.len() > 1, "split into several writes: {writes:?}");
}

#[test]
fn purge_fits_its_chunks_to_the_cap() {
    let server = server(keys(1_000));
    fill(&server, 400, false);
    assert_eq!(run(server.purge(T0, "b@x", PurgeScope::All, 1_000)).unwrap(), 400);
    assert_split(&server);
    assert!(rows(&server).is_empty());
}

#[test]
fn redrive_splits_into_writes_that_fit_and_ends_as_without_a_cap() {
    let (capped, free) = (server(keys(100)), server(None));
    for s in [&capped, &free] {
        fill(s, 300, true);
        assert_eq!(run(s.redrive(T0 + 5, "b@x", 1_000)).unwrap(), 300);
    }
    assert_split(&capped);
    assert_eq!(free.storage().writes.borrow().len(), 1);
    assert_eq!(rows(&capped), rows(&free));
    let stats = run(capped.stats(T0 + 5, "b@x")).unwrap();
    assert_eq!((stats.ready, stats.dead), (300, 0));
}

#[test]
fn reenqueue_splits_into_writes_that_fit_and_ends_as_without_a_cap() {
    let (capped, free) = (server(keys(50)), server(None));
    for s in [&capped, &free] {
        fill(s, 120, false);
        // max_deliveries 1: every ended lease makes its message dead (three rows each).
        run(s.reenqueue(T0 + 2_000)).unwrap();
    }
    assert_split(&capped);
    assert_eq!(rows(&capped), rows(&free));
    assert_eq!(run(capped.stats(T0 + 2_000, "b@x")).unwrap().dead, 120);
}

#[test]
fn a_failed_write_between_chunks_leaves_whole_messages_and_a_repeat_finishes() {
    let server = server(keys(100));
    fill(&server, 300, true);
    server.storage().fail_write.set(Some(2));
    assert_eq!(run(server.redrive(T0 + 5, "b@x", 1_000)).unwrap_err().code(), "storage");
    // The first write (25 messages of 4 rows) landed; the second and third did not.
    let stats = run(server.stats(T0 + 5, "b@x")).unwrap();
    assert_eq!((stats.ready, stats.dead), (25, 275));
    assert_eq!(run(server.redrive(T0 + 5, "b@x", 1_000)).unwrap(), 275);
    let stats = run(server.stats(T0 + 5, "b@x")).unwrap();
    assert_eq!((stats.ready, stats.dead), (300, 0));
}

#[test]
fn long_mailbox_names_split_by_key_bytes() {
    // 254 bytes of name, form-escaped to 762 characters: 100 keys are 80 KiB.
    let mailbox = "é".repeat(127);
    let limit = WriteLimit { keys: 1_000, key_bytes: 81_920, bytes: 819_200, key_overhead: 12 };
    let server = server(Some(limit));
    fill_box(&server, &mailbox, 60, true);
    assert_eq!(run(server.redrive(T0 + 5, &mailbox, 1_000)).unwrap(), 60);
    assert_split(&server);
    server.storage().writes.borrow_mut().clear();
    assert_eq!(run(server.purge(T0 + 5, &mailbox, PurgeScope::All, 1_000)).unwrap(), 60);
    assert_split(&server);
    assert!(rows(&server).is_empty());
}
