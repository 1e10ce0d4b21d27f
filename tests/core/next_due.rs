//! `next_due`: when a mailbox with nothing to fetch has something due next, so
//! a host can sleep until then instead of polling.

use crate::support::*;
use pandora_mq::SendRequest;

#[test]
fn it_names_the_earliest_due_time_or_none() {
    let server = server();
    assert_eq!(run(server.next_due("b@x")).unwrap(), None);
    try_send(&server, T0, SendRequest { delay: 3_000, ..request("b@x", &[("n", "1")]) }).unwrap();
    try_send(&server, T0, SendRequest { delay: 2_000, ..request("b@x", &[("n", "2")]) }).unwrap();
    assert!(fetch(&server, T0, "b@x", 100).is_none());
    assert_eq!(run(server.next_due("b@x")).unwrap(), Some(T0 + 2_000));
    let msg = fetch(&server, T0 + 2_000, "b@x", 100).unwrap();
    assert_eq!(run(server.next_due("b@x")).unwrap(), Some(T0 + 2_101), "its lease end, before the other");
    ack(&server, T0 + 2_000, &msg, pandora_mq::Ack::Confirmed).unwrap();
    assert_eq!(run(server.next_due("b@x")).unwrap(), Some(T0 + 3_000));
}
