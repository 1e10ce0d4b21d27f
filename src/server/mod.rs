//! The queue: one `Server` per store, serialising its operations.
//!
//! Every operation reads what it needs, then commits all its changes as one atomic
//! [`Batch`](crate::storage::Batch): a failure before or during the write leaves
//! storage exactly as it was.

mod ack;
mod fetch;
mod mailbox_of;
pub mod list;
mod reenqueue;
mod send;

pub use send::SendRequest;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout;
use crate::message::Message;
use crate::random::Random;
use crate::record::Header;
use crate::storage::Storage;
use async_lock::Mutex;
use std::cell::RefCell;

/// A pandora queue over storage `S`, drawing lock ids from `R`.
///
/// Every method takes `now` (ms since the Unix epoch) from the caller: the core
/// never reads a clock, so hosts and tests decide what time it is.
pub struct Server<S, R> {
    storage: S,
    random: RefCell<R>,
    config: Config,
    // Operations await storage between their reads and their write; this gate keeps
    // two of them from interleaving on one server.
    gate: Mutex<()>,
}

impl<S: Storage, R: Random> Server<S, R> {
    /// A server with `config`, after checking its limits.
    pub fn new(storage: S, random: R, config: Config) -> Result<Self> {
        config.validate()?;
        Ok(Server { storage, random: RefCell::new(random), config, gate: Mutex::new(()) })
    }

    /// The server's limits.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The underlying store.
    pub fn storage(&self) -> &S {
        &self.storage
    }

    async fn load_header(&self, mid: &Key) -> Result<Option<Header>> {
        match self.storage.get(&layout::header(mid)).await? {
            Some(bytes) => Header::decode(&bytes).map(Some),
            None => Ok(None),
        }
    }

    /// A fresh lock id: 128 random bits, after the configured issuer prefix.
    fn new_lid(&self) -> Result<String> {
        let mut bytes = [0u8; 16];
        self.random.borrow_mut().fill(&mut bytes)?;
        Ok(if self.config.lid_prefix.is_empty() {
            hex::encode(bytes)
        } else {
            format!("{}.{}", self.config.lid_prefix, hex::encode(bytes))
        })
    }
}

/// The consumer-facing view of a stored header at `now`.
fn to_message(mid: Key, h: &Header, now: i64) -> Message {
    let expired = h.lease_expired(now);
    Message {
        mid,
        lid: None,
        status: if expired { crate::message::Status::Timeout } else { h.status() },
        sender: h.sender.clone(),
        receiver: h.receiver.clone(),
        received_at: h.received_at,
        send_when: h.send_when,
        leased_until: h.leased_until,
        leased: h.lid.is_some() && !expired,
        delivery_count: h.delivery_count,
        client_time: h.client_time,
        body: None,
    }
}

/// A lid as given by a client: printable ASCII of sane length.
fn check_lid(lid: &str) -> Result<()> {
    if lid.is_empty() || lid.len() > 256 || !lid.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::InvalidKey("lid must be 1 to 256 printable ASCII characters".into()));
    }
    Ok(())
}
