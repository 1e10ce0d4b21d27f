//! A tiny harness: a server on memory storage, a fixed clock origin, and blocking
//! wrappers around the async operations so scenarios read top to bottom.

use pandora_mq::{
    Ack, Body, Config, Cursor, Key, MemoryStorage, Message, Receipt, Result, SeededRandom, SendRequest, Server,
};
use std::future::Future;

/// The clock origin of every scenario: 2023-11-14T22:13:20Z, in ms.
pub const T0: i64 = 1_700_000_000_000;
/// The sender every helper uses.
pub const SENDER: &str = "a@x";

pub type Srv = Server<MemoryStorage, SeededRandom>;

/// Runs one async operation to completion.
pub fn run<F: Future>(f: F) -> F::Output {
    futures_executor::block_on(f)
}

/// A server with the default limits.
pub fn server() -> Srv {
    server_with(Config::default())
}

/// A server with `config` (which must be valid).
pub fn server_with(config: Config) -> Srv {
    Server::new(MemoryStorage::new(), SeededRandom::new(42), config).expect("valid config")
}

/// A body from `(name, value)` pairs, in order.
pub fn body(fields: &[(&str, &str)]) -> Body {
    fields.iter().copied().collect()
}

/// A request from [`SENDER`] to `receiver`: no delay, server-stamped time.
pub fn request(receiver: &str, fields: &[(&str, &str)]) -> SendRequest {
    SendRequest { sender: SENDER.into(), receiver: receiver.into(), body: body(fields), ..Default::default() }
}

/// Sends `fields` to `receiver` at `now`; must succeed.
pub fn send(server: &Srv, now: i64, receiver: &str, fields: &[(&str, &str)]) -> Receipt {
    run(server.send(now, request(receiver, fields))).expect("send")
}

/// Sends `req` at `now`, returning the outcome.
pub fn try_send(server: &Srv, now: i64, req: SendRequest) -> Result<Receipt> {
    run(server.send(now, req))
}

/// Leases the due message of `receiver` for `lease` ms; must not fail.
pub fn fetch(server: &Srv, now: i64, receiver: &str, lease: i64) -> Option<Message> {
    run(server.fetch_latest(now, receiver, Some(lease))).expect("fetch")
}

/// The lock id of a delivered message.
pub fn lid(msg: &Message) -> &str {
    msg.lid.as_deref().expect("a delivered message carries a lid")
}

/// Acks `msg` with its own lid at `now`.
pub fn ack(server: &Srv, now: i64, msg: &Message, verdict: Ack) -> Result<()> {
    run(server.ack(now, &msg.mid, lid(msg), verdict))
}

/// Every pending header of `receiver` at `now`, in one page.
pub fn headers(server: &Srv, now: i64, receiver: &str) -> Vec<Message> {
    run(server.fetch_headers(now, receiver, Cursor::default(), usize::MAX)).expect("headers")
}

/// The mids of `list`, in order.
pub fn mids(list: &[Message]) -> Vec<Key> {
    list.iter().map(|m| m.mid).collect()
}

/// Every key in storage, in order.
pub fn keys(server: &Srv) -> Vec<String> {
    server.storage().snapshot().into_keys().collect()
}

/// The stored record of `mid`, if any.
pub fn record(server: &Srv, mid: &Key) -> Option<pandora_mq::record::Record> {
    let stored = server.storage().snapshot().get(&pandora_mq::layout::message(mid)).cloned();
    stored.map(|bytes| pandora_mq::record::Record::decode(&bytes).expect("a valid record"))
}
