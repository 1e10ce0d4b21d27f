//! `stats`: exact ready, delayed, leased, dead, bytes and oldest ready of a
//! mailbox, with nothing written.

use crate::support::*;
use pandora_mq::{Ack, Config, RetryBackoff, SendRequest, Stats};

#[test]
fn every_state_is_counted() {
    let server = server_with(Config { max_deliveries: 1, ..Config::default() });
    let a = send(&server, T0, "b@x", &[("n", "a")]);
    send(&server, T0 + 1, "b@x", &[("n", "b")]);
    send(&server, T0 + 2, "b@x", &[("n", "c")]);
    try_send(&server, T0, SendRequest { delay: 5_000, ..request("b@x", &[("n", "d")]) }).unwrap();
    send(&server, T0, "c@x", &[("other", "mailbox")]);
    let held = fetch(&server, T0 + 3, "b@x", 100).unwrap(); // a: leased
    assert_eq!(held.mid, a.mid);
    let dies = fetch(&server, T0 + 3, "b@x", 100).unwrap(); // b: rejected at the limit
    ack(&server, T0 + 3, &dies, Ack::Rejected { retry_delay: 0 }).unwrap();
    // The stored bodies of the four messages of b@x (three pending, one dead).
    let blob_len = |mid| run(server.fetch_blob(mid)).unwrap().unwrap().len() as u64;
    let listed = headers(&server, T0 + 3, "b@x");
    assert_eq!(listed.len(), 2, "c and d; a is leased");
    let pending: u64 = listed.iter().map(|m| blob_len(&m.mid)).sum::<u64>() + blob_len(&a.mid);
    let bytes = pending + blob_len(&dies.mid);
    let before = server.storage().snapshot();
    let stats = run(server.stats(T0 + 3, "b@x")).unwrap();
    assert_eq!(stats, Stats { ready: 1, delayed: 1, leased: 1, dead: 1, bytes, oldest_ready: Some(T0 + 2) });
    assert_eq!(server.storage().snapshot(), before);
    // The lease runs out: a is ready again (c, due since T0 + 2, is still the oldest).
    let later = run(server.stats(T0 + 104, "b@x")).unwrap();
    assert_eq!((later.ready, later.leased, later.oldest_ready), (2, 0, Some(T0 + 2)));
    assert_eq!(run(server.stats(T0, "nobody")).unwrap(), Stats::default());
}

#[test]
fn a_back_off_after_a_lease_counts_as_delayed() {
    let backoff = RetryBackoff { initial: 1_000, max: 1_000, factor: 1.0 };
    let server = server_with(Config { retry_backoff: Some(backoff), ..Config::default() });
    send(&server, T0, "b@x", &[("k", "v")]);
    fetch(&server, T0, "b@x", 100).unwrap();
    assert_eq!(run(server.stats(T0 + 100, "b@x")).unwrap().leased, 1);
    let waiting = run(server.stats(T0 + 101, "b@x")).unwrap();
    assert_eq!((waiting.leased, waiting.delayed, waiting.ready), (0, 1, 0));
    assert_eq!(run(server.stats(T0 + 1_101, "b@x")).unwrap().ready, 1);
}
