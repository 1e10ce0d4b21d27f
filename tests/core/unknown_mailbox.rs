//! A mailbox that never received anything is simply empty, not an error.

use crate::support::*;
use pandora_mq::{Ack, Cursor};

#[test]
fn fetching_from_a_never_used_mailbox_is_none() {
    let server = server();
    assert_eq!(run(server.fetch_latest(T0, "nobody@x", None)).unwrap(), None);
    assert!(run(server.fetch_headers(T0, "nobody@x", Cursor::default(), 10)).unwrap().is_empty());
    assert!(server.storage().is_empty(), "looking changes nothing");
}

#[test]
fn a_mailbox_emptied_by_confirms_is_none_again() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 100).unwrap();
    ack(&server, T0, &msg, Ack::Confirmed).unwrap();
    assert_eq!(run(server.fetch_latest(T0 + 1, "b@x", None)).unwrap(), None);
    assert!(headers(&server, T0 + 1, "b@x").is_empty());
}

#[test]
fn other_mailboxes_messages_are_not_visible() {
    let server = server();
    // Names that share a prefix, or would if '/' or escapes leaked into keys.
    let names = ["b", "b/x", "bx", "b%2Fx", "b x", "b+x", "ü"];
    let sent: Vec<_> = names.iter().map(|n| send(&server, T0, n, &[("k", "v")]).mid).collect();
    for (name, mid) in names.iter().zip(&sent) {
        assert_eq!(mids(&headers(&server, T0, name)), [*mid], "listing of {name:?}");
    }
    for (name, mid) in names.iter().zip(&sent) {
        let msg = fetch(&server, T0, name, 100).unwrap();
        assert_eq!((msg.mid, msg.receiver.as_str()), (*mid, *name));
        assert!(fetch(&server, T0, name, 100).is_none(), "{name:?} got another mailbox's message");
    }
}
