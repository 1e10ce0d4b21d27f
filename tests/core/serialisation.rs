//! One server serialises its operations: concurrent calls never interleave their
//! reads and writes, even on a store that suspends on every call.

use crate::support::{request, run, T0};
use pandora_mq::{Ack, Batch, MemoryStorage, Result, SeededRandom, Server, Storage};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// Returns `Pending` once (after waking itself), then `Ready`.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// Memory storage that suspends before every call, as a real backend would.
#[derive(Default)]
struct Suspending {
    inner: MemoryStorage,
    log: RefCell<Vec<&'static str>>,
}

impl Storage for Suspending {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        YieldOnce(false).await;
        self.log.borrow_mut().push("get");
        self.inner.get(key).await
    }
    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        YieldOnce(false).await;
        self.log.borrow_mut().push("list");
        self.inner.list(prefix, start, limit).await
    }
    async fn write(&self, batch: Batch) -> Result<()> {
        YieldOnce(false).await;
        self.log.borrow_mut().push("write");
        self.inner.write(batch).await
    }
}

struct Noop;
impl Wake for Noop {
    fn wake(self: Arc<Self>) {}
}

/// Polls every future in turn until all are done; outputs in the futures' order.
fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let waker = Waker::from(Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    while outputs.iter().any(Option::is_none) {
        for (future, out) in futures.iter_mut().zip(outputs.iter_mut()) {
            if out.is_none() {
                if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
                    *out = Some(v);
                }
            }
        }
    }
    outputs.into_iter().map(Option::unwrap).collect()
}

fn server() -> Server<Suspending, SeededRandom> {
    Server::new(Suspending::default(), SeededRandom::new(3), Default::default()).unwrap()
}

#[test]
fn the_harness_does_interleave_unserialised_work() {
    // Two read-then-write sequences straight on the store, without the server's gate:
    // both read before either writes. Without this the tests below would prove nothing.
    let store = Suspending::default();
    let rmw = || async {
        let _ = store.get("k").await.unwrap();
        store.write(vec![("k".into(), Some(vec![1]))]).await.unwrap();
    };
    join_all(vec![rmw(), rmw()]);
    assert_eq!(*store.log.borrow(), ["get", "get", "write", "write"]);
}

#[test]
fn concurrent_fetches_deliver_one_message_once() {
    let server = server();
    let sent = run(server.send(T0, request("b@x", &[("k", "v")]))).unwrap();
    let fetches = (0..8).map(|_| server.fetch_latest(T0, "b@x", Some(1_000))).collect();
    let results: Vec<_> = join_all(fetches).into_iter().map(Result::unwrap).collect();
    let got: Vec<_> = results.iter().flatten().collect();
    assert_eq!(got.len(), 1, "{results:?}");
    assert_eq!(got[0].mid, sent.mid);
    assert_eq!(got[0].delivery_count, 1);
    run(server.ack(T0, &sent.mid, got[0].lid.as_deref().unwrap(), Ack::Confirmed)).unwrap();
}

#[test]
fn concurrent_fetches_of_several_messages_get_distinct_ones() {
    let server = server();
    let mut sent: Vec<_> =
        (0..3).map(|i| run(server.send(T0 + i, request("b@x", &[("k", "v")]))).unwrap().mid).collect();
    let fetches = (0..6).map(|_| server.fetch_latest(T0 + 10, "b@x", Some(1_000))).collect();
    let mut got: Vec<_> = join_all(fetches).into_iter().flat_map(Result::unwrap).map(|m| m.mid).collect();
    got.sort();
    sent.sort();
    assert_eq!(got, sent);
}

#[test]
fn concurrent_confirms_with_one_lid_succeed_once() {
    let server = server();
    run(server.send(T0, request("b@x", &[("k", "v")]))).unwrap();
    let msg = run(server.fetch_latest(T0, "b@x", Some(1_000))).unwrap().unwrap();
    let lid = msg.lid.clone().unwrap();
    let acks = (0..4).map(|_| server.ack(T0 + 1, &msg.mid, &lid, Ack::Confirmed)).collect();
    let results = join_all(acks);
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().filter_map(|r| r.as_ref().err()).all(|e| e.code() == "not_found"));
}

#[test]
fn concurrent_identical_sends_enqueue_once() {
    let server = server();
    let req = pandora_mq::SendRequest { client_time: Some(T0), ..request("b@x", &[("k", "v")]) };
    let sends = (0..4).map(|_| server.send(T0, req.clone())).collect();
    let receipts: Vec<_> = join_all(sends).into_iter().map(Result::unwrap).collect();
    assert_eq!(receipts.iter().filter(|r| !r.duplicate).count(), 1, "{receipts:?}");
    assert!(receipts.iter().all(|r| r.mid == receipts[0].mid));
    let stored = server.storage().inner.snapshot()[&pandora_mq::layout::message(&receipts[0].mid)].clone();
    assert_eq!(pandora_mq::record::Record::decode(&stored).unwrap().refs, 1);
    assert_eq!(server.storage().inner.snapshot().keys().filter(|k| k.starts_with('r')).count(), 1);
}
