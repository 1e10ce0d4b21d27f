//! `fetch_headers`: pending messages oldest first, without bodies or lids, in pages.

use crate::support::*;
use pandora_mq::{Ack, Cursor, Key, SendRequest, Status};
use std::collections::BTreeSet;

/// Collects every page of `receiver` with `limit` per page, following the cursor.
fn all_pages(server: &Srv, now: i64, receiver: &str, limit: usize, with_mid: bool) -> Vec<Key> {
    let mut after = Cursor::default();
    let mut seen = Vec::new();
    for _ in 0..1_000 {
        let page = run(server.fetch_headers(now, receiver, after, limit)).unwrap();
        assert!(page.len() <= limit);
        let Some(last) = page.last() else { return seen };
        after = Cursor { received_at: last.received_at, mid: with_mid.then_some(last.mid) };
        seen.extend(mids(&page));
    }
    panic!("paging does not end");
}

#[test]
fn headers_come_oldest_first_without_bodies_or_lids() {
    let server = server();
    let sent: Vec<Key> = (0..5).map(|i| send(&server, T0 + 10 * (5 - i), "b@x", &[("n", "x")]).mid).rev().collect();
    let listed = headers(&server, T0 + 100, "b@x");
    assert_eq!(mids(&listed), sent);
    let times: Vec<i64> = listed.iter().map(|m| m.received_at).collect();
    assert_eq!(times, [T0 + 10, T0 + 20, T0 + 30, T0 + 40, T0 + 50]);
    for m in &listed {
        assert!(m.body.is_none() && m.lid.is_none());
        assert_eq!((m.sender.as_str(), m.receiver.as_str()), (SENDER, "b@x"));
        assert_eq!(m.status, Status::NotDelivered);
    }
}

#[test]
fn paging_by_receive_time_visits_every_message_once() {
    let server = server();
    let sent: Vec<Key> = (0..7).map(|i| send(&server, T0 + i, "b@x", &[("n", "x")]).mid).collect();
    for limit in 1..=8 {
        assert_eq!(all_pages(&server, T0 + 10, "b@x", limit, false), sent, "limit {limit}");
    }
    let after_third = run(server.fetch_headers(T0, "b@x", Cursor { received_at: T0 + 2, mid: None }, 10)).unwrap();
    assert_eq!(mids(&after_third), sent[3..]);
}

#[test]
fn paging_by_time_and_mid_visits_every_message_of_one_millisecond_once() {
    let server = server();
    let mut sent = BTreeSet::new();
    for i in 0..10 {
        let at = if i < 2 { T0 - 1 } else { T0 };
        sent.insert(send(&server, at, "b@x", &[("n", "x")]).mid);
    }
    sent.insert(send(&server, T0 + 1, "b@x", &[("n", "x")]).mid);
    for limit in 1..=12 {
        let seen = all_pages(&server, T0 + 10, "b@x", limit, true);
        assert_eq!(seen.len(), sent.len(), "limit {limit}: a message was repeated or skipped");
        assert_eq!(seen.iter().copied().collect::<BTreeSet<_>>(), sent, "limit {limit}");
    }
}

#[test]
fn a_zero_limit_is_an_empty_page() {
    let server = server();
    send(&server, T0, "b@x", &[("n", "x")]);
    assert!(run(server.fetch_headers(T0, "b@x", Cursor::default(), 0)).unwrap().is_empty());
}

#[test]
fn delayed_and_due_messages_are_listed_leased_and_confirmed_ones_are_not() {
    let server = server();
    let leased = send(&server, T0, "b@x", &[("n", "leased")]);
    let confirmed = send(&server, T0 + 1, "b@x", &[("n", "confirmed")]);
    let delayed =
        try_send(&server, T0 + 2, SendRequest { delay: 60_000, ..request("b@x", &[("n", "delayed")]) }).unwrap();

    let first = fetch(&server, T0 + 3, "b@x", 10_000).unwrap();
    assert_eq!(first.mid, leased.mid);
    let second = fetch(&server, T0 + 3, "b@x", 10_000).unwrap();
    assert_eq!(second.mid, confirmed.mid);
    ack(&server, T0 + 4, &second, Ack::Confirmed).unwrap();

    // As in the Go original, a message under a lease is not listed.
    let listed = headers(&server, T0 + 5, "b@x");
    assert_eq!(mids(&listed), [delayed.mid]);
    assert!(!listed[0].leased);
    assert_eq!(listed[0].send_when, T0 + 60_002);
    // `fetch_leased` lists what the listing leaves out, with its lease.
    let leased_now = run(server.fetch_leased(T0 + 5, "b@x", Cursor::default(), 10)).unwrap();
    assert_eq!(mids(&leased_now), [leased.mid]);
    assert_eq!(
        (leased_now[0].leased, leased_now[0].leased_until, leased_now[0].delivery_count),
        (true, T0 + 10_003, 1)
    );
    let after = Cursor { received_at: T0, mid: None };
    assert!(run(server.fetch_leased(T0 + 5, "b@x", after, 10)).unwrap().is_empty(), "paged by receive time");
    // Once its lease has run out, `reenqueue` lists it again, timed out.
    assert_eq!(run(server.reenqueue(T0 + 10_004)).unwrap(), 1);
    let listed = headers(&server, T0 + 10_004, "b@x");
    assert_eq!(mids(&listed), [leased.mid, delayed.mid]);
    assert_eq!((listed[0].status, listed[0].delivery_count), (pandora_mq::Status::Timeout, 1));
    assert!(listed.iter().all(|m| m.lid.is_none() && m.body.is_none()));
    // No listing reveals the lid anywhere.
    assert!(!format!("{listed:?}").contains(lid(&first)));
}
