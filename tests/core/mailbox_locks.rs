//! A store that locks per mailbox (`Storage::mailbox_locks`): an operation
//! holds only its own mailbox's lock, so its tombstone sweep must leave the
//! records of other mailboxes alone; their own operations collect them.

use crate::support::{request, run, T0};
use pandora_mq::config::MINUTE;
use pandora_mq::{layout, Ack, Batch, Config, Key, MemoryStorage, Result, SeededRandom, SendRequest, Server, Storage};

/// The built-in store, declaring per-mailbox locks.
struct MailboxLocked(MemoryStorage);

impl Storage for MailboxLocked {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.0.get(key).await
    }
    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        self.0.list(prefix, start, limit).await
    }
    async fn write(&self, batch: Batch) -> Result<()> {
        self.0.write(batch).await
    }
    fn mailbox_locks(&self) -> bool {
        true
    }
}

fn has_record<S: Storage>(server: &Server<S, SeededRandom>, mid: &Key) -> bool {
    run(server.storage().get(&layout::message(mid))).unwrap().is_some()
}

#[test]
fn a_send_sweeps_only_records_of_its_own_mailbox() {
    let server = Server::new(MailboxLocked(MemoryStorage::new()), SeededRandom::new(3), Config::default()).unwrap();
    // A client's own mid (its clientTime): its record stays for the dedupe window.
    let req = SendRequest { client_time: Some(T0), ..request("a@x", &[("k", "v")]) };
    let confirmed = run(server.send(T0, req)).unwrap();
    let held = run(server.fetch_latest(T0, "a@x", Some(1_000))).unwrap().unwrap();
    run(server.ack(T0, &held.mid, held.lid.as_deref().unwrap(), Ack::Confirmed)).unwrap();
    let closed = T0 + 5 * MINUTE;
    // Enough sends to another mailbox for the sweep to pass every record more than once.
    for i in 0..20 {
        run(server.send(closed, request("b@x", &[("n", &i.to_string())]))).unwrap();
    }
    assert!(has_record(&server, &confirmed.mid), "b@x's sends left a@x's record alone");
    for i in 0..20 {
        run(server.send(closed, request("a@x", &[("n", &i.to_string())]))).unwrap();
    }
    assert!(!has_record(&server, &confirmed.mid), "a@x's own sends collected it");
}

#[test]
fn with_one_lock_for_all_any_send_sweeps() {
    let server = Server::new(MemoryStorage::new(), SeededRandom::new(3), Config::default()).unwrap();
    // A client's own mid (its clientTime): its record stays for the dedupe window.
    let req = SendRequest { client_time: Some(T0), ..request("a@x", &[("k", "v")]) };
    let confirmed = run(server.send(T0, req)).unwrap();
    let held = run(server.fetch_latest(T0, "a@x", Some(1_000))).unwrap().unwrap();
    run(server.ack(T0, &held.mid, held.lid.as_deref().unwrap(), Ack::Confirmed)).unwrap();
    for i in 0..20 {
        run(server.send(T0 + 5 * MINUTE, request("b@x", &[("n", &i.to_string())]))).unwrap();
    }
    assert!(!has_record(&server, &confirmed.mid));
}
