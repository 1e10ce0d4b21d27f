//! `peek`: the next due messages with bodies, no lid, nothing written.

use crate::support::*;
use pandora_mq::SendRequest;

#[test]
fn peeking_shows_what_a_fetch_would_get_and_changes_nothing() {
    let server = server();
    let a = send(&server, T0, "b@x", &[("n", "a")]);
    let b = send(&server, T0 + 1, "b@x", &[("n", "b")]);
    try_send(&server, T0, SendRequest { delay: 10_000, ..request("b@x", &[("n", "later")]) }).unwrap();
    let before = server.storage().snapshot();
    let peeked = run(server.peek(T0 + 1, "b@x", 10)).unwrap();
    assert_eq!(mids(&peeked), [a.mid, b.mid]);
    assert!(peeked.iter().all(|m| m.lid.is_none() && !m.leased));
    assert_eq!(peeked[0].body.as_ref().unwrap().get("n"), Some("a"));
    assert_eq!(mids(&run(server.peek(T0 + 1, "b@x", 1)).unwrap()), [a.mid]);
    assert_eq!(server.storage().snapshot(), before);
    assert_eq!(fetch(&server, T0 + 1, "b@x", 100).unwrap().mid, a.mid);
    assert_eq!(mids(&run(server.peek(T0 + 1, "b@x", 10)).unwrap()), [b.mid], "leased: not due");
    assert_eq!(run(server.peek(T0, "b@x", 0)).unwrap_err().code(), "out_of_range");
}
