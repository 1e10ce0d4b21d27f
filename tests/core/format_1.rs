//! A store written by the first release (storage format 1: `h/ b/ v/ r/ l/ t/`
//! keys) is refused with `unsupported_format`, never read as if it were empty
//! or current, and left exactly as it was.

use crate::support::{run, T0};
use pandora_mq::{Ack, Body, Config, Cursor, Key, MemoryStorage, SeededRandom, SendRequest, Server, Storage};

/// The rows format 1 wrote for one pending message `topic=old` from a@x to b@x,
/// built by hand in its key shapes and record encodings.
fn format_1_store() -> (MemoryStorage, Key) {
    let body =
        b"clientTime=2023-11-14T22%3A13%3A20Z&p-server=Pandora-Default-Server&receiver=b%40x&sender=a%40x&topic=old";
    let mid = Key::of(body);
    let time = format!("{:016x}", (T0 as u64) ^ (1 << 63));
    // Header: format byte 1, then postcard of (receiver, sender, receivedAt, sendWhen,
    // clientTime, visibleAt, leasedUntil, lid, status, deliveryCount, tombstoneUntil).
    let fields = ("b@x", "a@x", T0, T0, T0, T0, 0i64, None::<String>, 8u8, 0u32, 0i64);
    let header = postcard::to_extend(&fields, vec![1u8]).unwrap();
    let mut blob = vec![1u8, 1, 0, 0, 0];
    blob.extend_from_slice(body);
    let store = MemoryStorage::new();
    let rows = vec![
        (format!("h/{mid}"), Some(header)),
        (format!("b/{mid}"), Some(blob)),
        (format!("v/b%40x/{time}/{mid}"), Some(Vec::new())),
        (format!("r/b%40x/{time}/{mid}"), Some(Vec::new())),
    ];
    run(store.write(rows)).unwrap();
    (store, mid)
}

#[test]
fn every_operation_on_a_format_1_store_is_refused_and_changes_nothing() {
    let (store, mid) = format_1_store();
    let before = store.snapshot();
    let server = Server::new(store, SeededRandom::new(1), Config::default()).unwrap();
    let req = SendRequest {
        sender: "a@x".into(),
        receiver: "b@x".into(),
        body: Body::from_iter([("k", "v")]),
        ..Default::default()
    };
    let refusals = [
        run(server.send(T0, req)).map(|_| ()),
        run(server.fetch_latest(T0, "b@x", None)).map(|_| ()),
        run(server.ack(T0, &mid, "0123", Ack::Confirmed)),
        run(server.fetch_headers(T0, "b@x", Cursor::default(), 10)).map(|_| ()),
        run(server.fetch_blob(&mid)).map(|_| ()),
        run(server.reenqueue(T0)).map(|_| ()),
    ];
    for result in refusals {
        let err = result.expect_err("a format-1 store is refused");
        assert_eq!(err.code(), "unsupported_format", "{err}");
        assert!(err.to_string().contains("format 1"), "the error names the format: {err}");
        assert!(!err.is_client_error());
    }
    assert_eq!(server.storage().snapshot(), before, "nothing was changed");
}

#[test]
fn an_empty_store_is_format_2_from_its_first_write() {
    let server = Server::new(MemoryStorage::new(), SeededRandom::new(1), Config::default()).unwrap();
    let req = SendRequest {
        sender: "a@x".into(),
        receiver: "b@x".into(),
        body: Body::from_iter([("k", "v")]),
        ..Default::default()
    };
    run(server.send(T0, req)).unwrap();
    let snapshot = server.storage().snapshot();
    assert!(snapshot.keys().all(|k| k.as_bytes().get(1) != Some(&b'/')), "no format-1 key: {snapshot:?}");
    assert!(snapshot.iter().filter(|(k, _)| k.starts_with('m')).all(|(_, v)| v[0] == 2));
}
