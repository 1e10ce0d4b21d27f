//! pandora-mq: a persistent mailbox message queue with a content-addressed blob store.
//!
//! Senders post form-field messages to a receiver's mailbox, optionally delayed;
//! consumers lease the earliest due message, then confirm or reject it; a lease
//! that runs out makes the message deliverable again. Bodies are stored once,
//! under their SHA-1, with a reference count.
//!
//! The core does no I/O of its own: it runs on any [`Storage`], takes the current
//! time as a `now` argument (ms since the Unix epoch) and draws lock ids from an
//! injected [`Random`]. The JS bindings (`wasm` module: wasm32 with the `wasm`
//! feature, which the npm package build turns on) are a thin layer over it.
//!
//! ```
//! use pandora_mq::{Ack, Body, Config, MemoryStorage, SeededRandom, SendRequest, Server};
//!
//! # futures_executor::block_on(async {
//! let server = Server::new(MemoryStorage::new(), SeededRandom::new(7), Config::default())?;
//! let now = 1_700_000_000_000; // the host's clock, in ms
//! let body: Body = [("topic", "hello")].into_iter().collect();
//! let sent = server
//!     .send(now, SendRequest { sender: "a@x".into(), receiver: "b@x".into(), body, ..Default::default() })
//!     .await?;
//! let msg = server.fetch_latest(now, "b@x", None).await?.expect("the message is due");
//! assert_eq!(msg.mid, sent.mid);
//! server.ack(now, &msg.mid, msg.lid.as_deref().unwrap(), Ack::Confirmed).await?;
//! assert!(server.fetch_latest(now, "b@x", None).await?.is_none());
//! # Ok::<(), pandora_mq::Error>(())
//! # }).unwrap();
//! ```

pub mod body;
pub mod config;
pub mod duration;
pub mod error;
pub mod http;
pub mod key;
pub mod layout;
pub mod message;
pub mod random;
pub mod record;
mod secret;
pub mod server;
pub mod storage;
pub mod time;
pub mod token;
#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
mod wasm;

pub use body::Body;
pub use config::{Config, RetryBackoff};
pub use error::{Error, Result};
pub use key::Key;
pub use message::{Ack, AckRequest, Message, PurgeScope, Receipt, Stats, Status};
pub use random::{Random, SeededRandom};
pub use server::list::{Cursor, Listing};
pub use server::{SendRequest, Server};
pub use storage::{Batch, FaultyStorage, MemoryStorage, Storage, WriteLimit};

/// The README's Rust example, compiled and run as a doc-test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
