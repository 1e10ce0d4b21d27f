//! `Storage::prefetch`: a fetch names the record the next fetch of its mailbox
//! will read first, and nothing else; the hint changes no answer.

use crate::support::T0;
use pandora_mq::{Ack, Batch, Body, Config, MemoryStorage, Result, SeededRandom, SendRequest, Server, Storage};
use std::cell::RefCell;

#[derive(Default)]
struct Hinted {
    inner: MemoryStorage,
    hints: RefCell<Vec<String>>,
}

impl Storage for Hinted {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.inner.get(key).await
    }
    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        self.inner.list(prefix, start, limit).await
    }
    async fn write(&self, batch: Batch) -> Result<()> {
        self.inner.write(batch).await
    }
    fn prefetch(&self, key: &str) {
        self.hints.borrow_mut().push(key.to_owned());
    }
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    futures_executor::block_on(f)
}

#[test]
fn a_fetch_hints_the_record_of_the_next_due_message_and_nothing_when_none_follows() {
    let server = Server::new(Hinted::default(), SeededRandom::new(5), Config::default()).unwrap();
    let mids: Vec<_> = (0..3)
        .map(|n| {
            let body: Body = [("n", n.to_string())].into_iter().collect();
            let req = SendRequest { sender: "a@x".into(), receiver: "b@x".into(), body, ..Default::default() };
            run(server.send(T0 + n, req)).unwrap().mid
        })
        .collect();
    let hints = |server: &Server<Hinted, SeededRandom>| server.storage().hints.borrow_mut().split_off(0);
    assert!(hints(&server).is_empty(), "a send hints nothing");
    for (i, mid) in mids.iter().enumerate() {
        let m = run(server.fetch_latest(T0 + 10, "b@x", None)).unwrap().expect("due");
        assert_eq!(&m.mid, mid, "oldest first");
        let next: Vec<String> = mids.get(i + 1).map(pandora_mq::layout::message).into_iter().collect();
        assert_eq!(hints(&server), next, "fetch {i} names the next record, or nothing after the last");
        // What the hint named is what the next fetch reads: the record row exists.
        for key in &next {
            assert!(run(server.storage().inner.get(key)).unwrap().is_some(), "{key} is a stored record");
        }
        run(server.ack(T0 + 11, &m.mid, m.lid.as_deref().unwrap(), Ack::Confirmed)).unwrap();
    }
    assert!(run(server.fetch_latest(T0 + 12, "b@x", None)).unwrap().is_none());
    assert!(hints(&server).is_empty(), "an empty mailbox hints nothing");
}
