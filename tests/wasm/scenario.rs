//! One scenario through the core compiled to wasm32, shared by the Node and
//! browser test targets: send, delay, lease expiry, reject, confirm.

use pandora_mq::{Ack, Body, Config, MemoryStorage, SeededRandom, SendRequest, Server, Status};

const T0: i64 = 1_767_225_600_000;

pub async fn lifecycle() {
    let server = Server::new(MemoryStorage::new(), SeededRandom::new(3), Config::default()).unwrap();
    let body: Body = [("topic", "wasm")].into_iter().collect();
    let req = SendRequest { sender: "a@x".into(), receiver: "b@x".into(), delay: 2_000, body, ..Default::default() };
    let sent = server.send(T0, req).await.unwrap();
    assert!(server.fetch_latest(T0 + 1_999, "b@x", None).await.unwrap().is_none());

    let first = server.fetch_latest(T0 + 2_000, "b@x", Some(1_000)).await.unwrap().unwrap();
    assert_eq!(first.mid, sent.mid);
    assert_eq!(first.delivery_count, 1);

    let again = server.fetch_latest(T0 + 3_001, "b@x", Some(1_000)).await.unwrap().unwrap();
    assert_eq!(again.status, Status::Timeout);
    assert_ne!(again.lid, first.lid);
    let stale = server.ack(T0 + 3_002, &sent.mid, first.lid.as_deref().unwrap(), Ack::Confirmed).await;
    assert_eq!(stale.unwrap_err().code(), "lock_mismatch");

    let lid = again.lid.unwrap();
    server.ack(T0 + 3_002, &sent.mid, &lid, Ack::Rejected { retry_delay: 0 }).await.unwrap();
    let third = server.fetch_latest(T0 + 3_002, "b@x", None).await.unwrap().unwrap();
    assert_eq!((third.status, third.delivery_count), (Status::Rejected, 3));
    server.ack(T0 + 3_003, &sent.mid, third.lid.as_deref().unwrap(), Ack::Confirmed).await.unwrap();
    assert!(server.fetch_latest(T0 + 9_999_999, "b@x", None).await.unwrap().is_none());
    assert!(server.fetch_blob(&sent.mid).await.unwrap().is_none());
}
