//! `purge`: deletes pending messages (all, or only dead ones) in bounded atomic
//! chunks; repeating it after a failure finishes the job.

use crate::support::*;
use pandora_mq::{Ack, Config, FaultyStorage, MemoryStorage, PurgeScope, SeededRandom, Server};

#[test]
fn purging_all_empties_the_mailbox_and_leaves_others_alone() {
    let server = server_with(Config { max_deliveries: 1, ..Config::default() });
    for i in 0..25 {
        send(&server, T0, "b@x", &[("n", &i.to_string())]);
    }
    let other = send(&server, T0, "c@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 100).unwrap();
    ack(&server, T0, &msg, Ack::Rejected { retry_delay: 0 }).unwrap(); // now dead
    fetch(&server, T0, "b@x", 100).unwrap(); // leased
    assert_eq!(run(server.purge(T0, "b@x", PurgeScope::All, 7)).unwrap(), 25);
    assert_eq!(mids(&headers(&server, T0, "c@x")), [other.mid]);
    assert_eq!(keys(&server).len(), 3, "only c@x's message is left: {:?}", keys(&server));
    assert_eq!(run(server.purge(T0, "b@x", PurgeScope::All, 7)).unwrap(), 0);
}

#[test]
fn purging_dead_keeps_the_pending_ones() {
    let server = server_with(Config { max_deliveries: 1, ..Config::default() });
    send(&server, T0, "b@x", &[("n", "dies")]);
    let msg = fetch(&server, T0, "b@x", 100).unwrap();
    ack(&server, T0, &msg, Ack::Rejected { retry_delay: 0 }).unwrap();
    let kept = send(&server, T0, "b@x", &[("n", "kept")]);
    assert_eq!(run(server.purge(T0, "b@x", PurgeScope::Dead, 100)).unwrap(), 1);
    assert_eq!(mids(&headers(&server, T0, "b@x")), [kept.mid]);
    assert_eq!(run(server.stats(T0, "b@x")).unwrap().dead, 0);
}

#[test]
fn a_failed_chunk_leaves_whole_chunks_and_a_repeat_finishes() {
    let server =
        Server::new(FaultyStorage::new(MemoryStorage::new()), SeededRandom::new(1), Config::default()).unwrap();
    for i in 0..10 {
        let req = request("b@x", &[("n", &i.to_string())]);
        run(server.send(T0, req)).unwrap();
    }
    let storage = server.storage();
    // Chunks of 4: list, 4 gets, write; the second chunk's write is call 12.
    storage.reset();
    storage.fail_at(Some(12));
    assert_eq!(run(server.purge(T0, "b@x", PurgeScope::All, 4)).unwrap_err().code(), "storage");
    storage.fail_at(None);
    let left = storage.inner().len();
    assert_eq!(left, 6 * 3, "exactly one chunk of 4 messages was deleted");
    assert_eq!(run(server.purge(T0, "b@x", PurgeScope::All, 4)).unwrap(), 6);
    assert!(storage.inner().is_empty());
}

#[test]
fn a_chunk_outside_1_to_1000_is_out_of_range() {
    let server = server();
    for chunk in [0, 1_001] {
        assert_eq!(run(server.purge(T0, "b@x", PurgeScope::All, chunk)).unwrap_err().code(), "out_of_range");
    }
}
