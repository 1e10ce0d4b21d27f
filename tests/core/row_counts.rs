//! Storage work per operation on format 2, counted by a store that wraps
//! `MemoryStorage`: rows written (puts and deletes) and reads (gets and lists).
//! A change of layout that costs more rows or reads fails here.

use crate::support::T0;
use pandora_mq::config::MINUTE;
use pandora_mq::{Ack, Batch, Body, Config, MemoryStorage, Result, SeededRandom, SendRequest, Server, Storage};
use std::cell::Cell;

#[derive(Default)]
struct Counting {
    inner: MemoryStorage,
    reads: Cell<usize>,
    rows: Cell<usize>,
}

impl Counting {
    /// (reads, rows written) since the last call.
    fn take(&self) -> (usize, usize) {
        (self.reads.replace(0), self.rows.replace(0))
    }
}

impl Storage for Counting {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.reads.set(self.reads.get() + 1);
        self.inner.get(key).await
    }
    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        self.reads.set(self.reads.get() + 1);
        self.inner.list(prefix, start, limit).await
    }
    async fn write(&self, batch: Batch) -> Result<()> {
        self.rows.set(self.rows.get() + batch.len());
        self.inner.write(batch).await
    }
}

type Srv = Server<Counting, SeededRandom>;

fn server() -> Srv {
    let server = Server::new(Counting::default(), SeededRandom::new(3), Config::default()).unwrap();
    // The first operation of a server also checks the store's format (one list).
    run(server.fetch_latest(T0, "warm-up", None)).unwrap();
    assert_eq!(server.storage().take(), (2, 0), "format check + one delivery-index list");
    server
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    futures_executor::block_on(f)
}

fn send(server: &Srv, now: i64, n: usize) -> pandora_mq::Receipt {
    let body: Body = [("n", n.to_string())].into_iter().collect();
    let req = SendRequest { sender: "a@x".into(), receiver: "b@x".into(), body, ..Default::default() };
    run(server.send(now, req)).unwrap()
}

#[test]
fn one_lifecycle_writes_eight_rows_and_no_operation_reads_more_than_three_times() {
    let server = server();
    let storage = server.storage();

    send(&server, T0, 0);
    assert_eq!(
        storage.take(),
        (1, 3),
        "send: sweep list (a minted mid needs no dedupe get); record, delivery, listing"
    );

    let msg = run(server.fetch_latest(T0, "b@x", Some(1_000))).unwrap().unwrap();
    assert_eq!(storage.take(), (2, 2), "fetch: index list + record get; the delivery entry moved, nothing else");

    run(server.ack(T0 + 1, &msg.mid, msg.lid.as_deref().unwrap(), Ack::Confirmed)).unwrap();
    assert_eq!(
        storage.take(),
        (2, 3),
        "confirm: record + delivery get; both entries and the record (minted: no window)"
    );
    // 3 (send) + 2 (fetch) + 3 (confirm).
    assert!(storage.inner.is_empty());
}

#[test]
fn a_client_mid_lifecycle_writes_eight_rows_too() {
    let server = server();
    let storage = server.storage();
    let body: Body = [("k", "v")].into_iter().collect();
    let req =
        SendRequest { sender: "a@x".into(), receiver: "b@x".into(), client_time: Some(T0), body, ..Default::default() };
    run(server.send(T0, req)).unwrap();
    assert_eq!(storage.take(), (2, 3), "send: dedupe get + sweep list; record, delivery, listing");

    let msg = run(server.fetch_latest(T0, "b@x", Some(1_000))).unwrap().unwrap();
    assert_eq!(storage.take(), (2, 2), "fetch: the delivery entry moved");

    run(server.ack(T0 + 1, &msg.mid, msg.lid.as_deref().unwrap(), Ack::Confirmed)).unwrap();
    assert_eq!(storage.take(), (2, 2), "confirm in the window: two index deletes, the record stays");

    // After the dedupe window, a later send's sweep collects the record: one delete.
    send(&server, T0 + 5 * MINUTE, 1);
    assert_eq!(storage.take(), (2, 3 + 1), "sweep list + get verifying one record, then deleting it");
    assert!(run(server.fetch_blob(&msg.mid)).unwrap().is_none());
    storage.take();
    // 3 (send) + 2 (fetch) + 2 (confirm) + 1 (cleanup).
    assert_eq!(storage.inner.len(), 3, "only the second message is left");
}

#[test]
fn a_reject_and_a_duplicate_send_cost_what_they_must() {
    let server = server();
    let storage = server.storage();
    let req = SendRequest {
        sender: "a@x".into(),
        receiver: "b@x".into(),
        client_time: Some(T0),
        body: [("k", "v")].into_iter().collect(),
        ..Default::default()
    };
    run(server.send(T0, req.clone())).unwrap();
    storage.take();
    assert!(run(server.send(T0, req)).unwrap().duplicate);
    assert_eq!(storage.take(), (1, 0), "a pending duplicate: one get, nothing written");

    let msg = run(server.fetch_latest(T0, "b@x", Some(1_000))).unwrap().unwrap();
    storage.take();
    run(server.ack(T0, &msg.mid, msg.lid.as_deref().unwrap(), Ack::Rejected { retry_delay: 0 })).unwrap();
    assert_eq!(storage.take(), (2, 3), "reject: delivery moved back, the listing entry pointed at it");
}

#[test]
fn without_a_dedupe_window_a_confirm_removes_everything_at_once() {
    let config = Config { dedupe_window: 0, ..Config::default() };
    let server = Server::new(Counting::default(), SeededRandom::new(3), config).unwrap();
    send(&server, T0, 0);
    let msg = run(server.fetch_latest(T0, "b@x", None)).unwrap().unwrap();
    server.storage().take();
    run(server.ack(T0, &msg.mid, msg.lid.as_deref().unwrap(), Ack::Confirmed)).unwrap();
    assert_eq!(server.storage().take(), (2, 3));
    assert!(server.storage().inner.is_empty());
}

#[test]
fn the_new_operations_add_no_row_to_the_lifecycle_and_cost_what_the_docs_say() {
    let server = server();
    let storage = server.storage();
    let items: Vec<SendRequest> = (0..3)
        .map(|n| SendRequest {
            sender: "a@x".into(),
            receiver: "b@x".into(),
            body: [("n", n.to_string())].into_iter().collect(),
            ..Default::default()
        })
        .collect();
    run(server.send_batch(T0, items)).unwrap();
    assert_eq!(storage.take(), (1, 9), "one sweep list (minted mids need no dedupe get); three rows per message");

    // Items whose mid the client decides (its clientTime) each need the dedupe get.
    let timed: Vec<SendRequest> = (0..3)
        .map(|n| SendRequest {
            sender: "a@x".into(),
            receiver: "c@x".into(),
            client_time: Some(T0),
            body: [("n", n.to_string())].into_iter().collect(),
            ..Default::default()
        })
        .collect();
    run(server.send_batch(T0, timed.clone())).unwrap();
    assert_eq!(storage.take(), (3 + 1, 9), "a get per client-timed item + one sweep list");
    assert!(run(server.send_batch(T0, timed)).unwrap().iter().all(|r| r.duplicate));
    assert_eq!(storage.take(), (3, 0), "a repeated batch: a get per item, nothing written");

    let got = run(server.fetch_batch(T0, "b@x", 3, Some(1_000))).unwrap();
    assert_eq!(storage.take(), (1 + 3, 6), "one list, a record get per message; two rows each");

    let (a, b) = (&got[0], &got[1]);
    assert_eq!(run(server.extend(T0 + 1, &a.mid, a.lid.as_deref().unwrap(), 2_000)).unwrap(), T0 + 2_001);
    assert_eq!(storage.take(), (2, 3), "extend: like an ack's reads; delivery entry moved, record");

    run(server.ack(T0 + 1, &b.mid, b.lid.as_deref().unwrap(), Ack::Rejected { retry_delay: 60_000 })).unwrap();
    storage.take();
    assert!(run(server.cancel(T0 + 1, "b@x", &b.mid)).unwrap());
    assert_eq!(storage.take(), (3, 3), "cancel: record, listing and delivery get; three deletes");
    assert!(run(server.cancel(T0 + 1, "b@x", &got[2].mid)).unwrap());
    assert_eq!(storage.take().1, 3, "a leased one is looked for in the delivery index; three deletes");

    let stats = run(server.stats(T0 + 1, "b@x")).unwrap();
    assert_eq!((stats.leased, stats.ready, stats.delayed), (1, 0, 0));
    assert_eq!(storage.take(), (2, 0), "stats: the delivery and dead-letter indexes, nothing written");

    assert_eq!(run(server.next_due("b@x")).unwrap(), Some(T0 + 2_002));
    assert_eq!(run(server.peek(T0 + 1, "b@x", 10)).unwrap().len(), 0);
    assert_eq!(storage.take(), (2, 0), "next_due and peek: one list each, nothing written");
}
