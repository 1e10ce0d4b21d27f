//! `send_batch`, `fetch_batch` and `ack_batch`: many items, one write each,
//! validated first.

use crate::support::*;
use pandora_mq::{Ack, AckRequest, Key, SendRequest};

fn reqs(n: usize, receiver: &str) -> Vec<SendRequest> {
    (0..n).map(|i| request(receiver, &[("i", &i.to_string())])).collect()
}

#[test]
fn a_batch_send_enqueues_every_item_in_order() {
    let server = server();
    let mut items = reqs(3, "b@x");
    items.push(request("c@x", &[("k", "v")]));
    let receipts = run(server.send_batch(T0, items)).unwrap();
    assert_eq!(receipts.len(), 4);
    assert!(receipts.iter().all(|r| !r.duplicate));
    assert_eq!(mids(&headers(&server, T0, "b@x")).len(), 3);
    assert_eq!(mids(&headers(&server, T0, "c@x")), [receipts[3].mid]);
}

#[test]
fn one_bad_item_refuses_the_whole_batch_naming_its_index() {
    let server = server();
    let mut items = reqs(3, "b@x");
    items[2].receiver = String::new();
    let err = run(server.send_batch(T0, items)).unwrap_err();
    assert_eq!(err.code(), "invalid_mailbox");
    assert!(err.to_string().starts_with("item 2:"), "{err}");
    assert!(server.storage().is_empty());

    let mut items = reqs(2, "b@x");
    items[1].body = [("x", "y".repeat(5_000))].into_iter().collect();
    let err = run(server.send_batch(T0, items)).unwrap_err();
    assert_eq!((err.code(), err.to_string().starts_with("item 1:")), ("message_too_big", true));
    assert_eq!(run(server.send_batch(T0, reqs(101, "b@x"))).unwrap_err().code(), "bad_request");
    assert!(server.storage().is_empty());
}

#[test]
fn more_than_one_mebibyte_in_all_is_too_big() {
    let server = server_with(pandora_mq::Config { max_size: 64 * 1024, ..Default::default() });
    let big = "x".repeat(60 * 1024);
    let items: Vec<_> = (0..18).map(|i| request("b@x", &[("i", &i.to_string()), ("pad", &big)])).collect();
    assert_eq!(run(server.send_batch(T0, items)).unwrap_err().code(), "message_too_big");
    assert!(server.storage().is_empty());
}

#[test]
fn identical_items_in_one_batch_are_one_message() {
    let server = server();
    let item = SendRequest { client_time: Some(T0), ..request("b@x", &[("k", "v")]) };
    let receipts = run(server.send_batch(T0, vec![item.clone(), item])).unwrap();
    assert_eq!(receipts[0].mid, receipts[1].mid);
    assert_eq!((receipts[0].duplicate, receipts[1].duplicate), (false, true));
    assert_eq!(headers(&server, T0, "b@x").len(), 1);
}

#[test]
fn a_batch_fetch_leases_the_earliest_due_each_with_its_own_lid() {
    let server = server();
    let sent = run(server.send_batch(T0, reqs(5, "b@x"))).unwrap();
    let later = try_send(&server, T0, SendRequest { delay: 1_000, ..request("b@x", &[("late", "1")]) }).unwrap();
    let got = run(server.fetch_batch(T0 + 1, "b@x", 10, Some(500))).unwrap();
    assert_eq!(got.len(), 5, "the delayed one is not due");
    assert!(!mids(&got).contains(&later.mid));
    let mut want: Vec<Key> = sent.iter().map(|r| r.mid).collect();
    let mut have = mids(&got);
    want.sort();
    have.sort();
    assert_eq!(have, want);
    let lids: std::collections::HashSet<_> = got.iter().map(|m| m.lid.clone().unwrap()).collect();
    assert_eq!(lids.len(), 5);
    assert!(run(server.fetch_batch(T0 + 1, "b@x", 10, Some(500))).unwrap().is_empty());
    for max in [0, 101] {
        assert_eq!(run(server.fetch_batch(T0, "b@x", max, None)).unwrap_err().code(), "out_of_range");
    }
}

#[test]
fn batch_acks_are_independent() {
    let server = server();
    run(server.send_batch(T0, reqs(3, "b@x"))).unwrap();
    let got = run(server.fetch_batch(T0, "b@x", 3, Some(500))).unwrap();
    let item = |m: &pandora_mq::Message, ack| AckRequest { mid: m.mid, lid: lid(m).to_string(), ack };
    let acks = vec![
        item(&got[0], Ack::Confirmed),
        AckRequest { mid: got[1].mid, lid: "ffff".into(), ack: Ack::Confirmed },
        item(&got[2], Ack::Rejected { retry_delay: 0 }),
        item(&got[0], Ack::Confirmed),
    ];
    let results = run(server.ack_batch(T0 + 1, acks)).unwrap();
    let codes: Vec<Option<&str>> = results.iter().map(|r| r.as_ref().err().map(|e| e.code())).collect();
    assert_eq!(codes, [None, Some("lock_mismatch"), None, Some("not_found")]);
    // The good ones took effect: one confirmed, one back in the queue (listed
    // again), one still leased (not listed while its lease runs).
    let listed = headers(&server, T0 + 1, "b@x");
    assert_eq!(mids(&listed), [got[2].mid]);
    assert_eq!(run(server.stats(T0 + 1, "b@x")).unwrap().leased, 1);
    assert_eq!(fetch(&server, T0 + 1, "b@x", 100).unwrap().mid, got[2].mid);
}
