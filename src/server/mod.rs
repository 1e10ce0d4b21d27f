//! The queue: one `Server` per store, serialising its operations.
//!
//! Every operation reads what it needs, then commits all its changes as one atomic
//! [`Batch`](crate::storage::Batch): a failure before or during the write leaves
//! storage exactly as it was.

mod ack;
mod batch;
mod bulk;
mod cancel;
mod dead;
mod extend;
mod fate;
mod fetch;
mod index_rows;
mod lid;
pub mod list;
mod mailbox_of;
mod peek;
mod purge;
mod reenqueue;
mod send;
mod stats;
mod stats_mirror;
mod sweep;

pub use send::{SendRequest, RESERVED_FIELDS, STAMPED_FIELDS};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout::{self, Entry};
use crate::message::{Message, Status};
use crate::random::Random;
use crate::record::Record;
use crate::storage::{Batch, Storage};
use async_lock::Mutex;
use stats_mirror::StatsMirror;
use std::cell::{Cell, RefCell};

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
    // Set once this server has seen that the store holds no format-1 data.
    format_checked: Cell<bool>,
    // Where the tombstone sweep goes on in the message records (see `sweep.rs`).
    sweep_from: RefCell<Option<String>>,
    // The index rows `stats` counts, kept where this server is the store's only writer.
    stats_mirror: StatsMirror,
}

impl<S: Storage, R: Random> Server<S, R> {
    /// A server with `config`, after checking its limits.
    pub fn new(storage: S, random: R, config: Config) -> Result<Self> {
        config.validate()?;
        Ok(Server {
            storage,
            random: RefCell::new(random),
            config,
            gate: Mutex::new(()),
            format_checked: Cell::new(false),
            sweep_from: RefCell::new(None),
            stats_mirror: StatsMirror::default(),
        })
    }

    /// The server's limits.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The underlying store.
    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// Refuses a store written in storage format 1 (the first release's layout),
    /// whose keys this version would not see: its messages would look lost. One
    /// list, on the first operation of each server only.
    ///
    /// A sole-written store found empty here, before this server's first
    /// write, holds nothing but what this server will commit: its stats
    /// mirror then covers every mailbox from the start (see `stats_mirror.rs`).
    async fn check_format(&self) -> Result<()> {
        if self.format_checked.get() {
            return Ok(());
        }
        if self.storage.sole_writer() {
            let empty = match self.storage.holds_nothing() {
                Some(empty) => empty,
                None => self.storage.list("", None, Some(1)).await?.is_empty(),
            };
            if empty {
                self.stats_mirror.mirror_everything();
                self.format_checked.set(true);
                return Ok(());
            }
        }
        let found = self.storage.list(layout::FORMAT_1_PROBE, None, Some(1)).await?;
        if !found.is_empty() {
            return Err(Error::UnsupportedFormat(
                "the store holds storage format 1 data (keys h/<mid>, b/<mid>, …) written by \
                 pandora-mq 0.1; this version reads format 2 only: drain it with 0.1 or start \
                 on an empty store"
                    .into(),
            ));
        }
        self.format_checked.set(true);
        Ok(())
    }

    /// Writes `batch`, the one way every operation changes the store, and
    /// keeps the stats mirror in step: the batch's index rows are applied to
    /// it once the write has succeeded; a failed write, which may or may not
    /// have landed, drops it.
    async fn commit(&self, batch: Batch) -> Result<()> {
        let changes = self.stats_mirror.changes(&batch);
        match self.storage.write(batch).await {
            Ok(()) => {
                self.stats_mirror.apply(changes);
                Ok(())
            }
            Err(e) => {
                self.stats_mirror.forget();
                Err(e)
            }
        }
    }

    async fn load(&self, mid: &Key) -> Result<Option<Record>> {
        match self.storage.get(&layout::message(mid)).await? {
            Some(bytes) => Record::decode(&bytes).map(Some),
            None => Ok(None),
        }
    }

    /// True when `rec` is still in the queue (pending or dead), false when it
    /// is a confirmed message kept only for its dedupe window. A confirm
    /// deletes the delivery and listing entries and leaves the record as it
    /// is, so a record that is not dead is pending exactly while its listing
    /// entry exists: one get.
    async fn in_queue(&self, mid: &Key, rec: &Record) -> Result<bool> {
        if rec.status() == Status::Dead {
            return Ok(true);
        }
        let key = layout::received(&rec.receiver, rec.received_at, mid);
        Ok(self.storage.get(&key).await?.is_some())
    }

    /// The random part of a fresh lock id: 128 bits.
    fn lid_random(&self) -> Result<[u8; 16]> {
        let mut random = [0u8; 16];
        self.random.borrow_mut().fill(&mut random)?;
        Ok(random)
    }

    /// The lock id with random part `random` of a lease whose delivery entry
    /// is at `at`, after the configured issuer prefix.
    fn lid_of(&self, random: &[u8; 16], at: i64) -> String {
        lid::format(&self.config.lid_prefix, random, at)
    }

    /// The record of `mid` with the state of its delivery entry `entry` at `at`.
    async fn load_pending(&self, mid: &Key, at: i64, entry: &Entry) -> Result<Record> {
        let mut rec =
            self.load(mid).await?.ok_or_else(|| Error::Corrupt(format!("delivery entry without a record: {mid}")))?;
        rec.apply(at, entry);
        Ok(rec)
    }
}

/// The consumer-facing view of a stored record at `now`.
fn to_message(mid: Key, r: &Record, now: i64) -> Message {
    let expired = r.lease_expired(now);
    Message {
        mid,
        lid: None,
        status: if expired && r.status() != Status::Dead { Status::Timeout } else { r.status() },
        sender: r.sender.clone(),
        receiver: r.receiver.clone(),
        received_at: r.received_at,
        send_when: r.send_when,
        leased_until: r.leased_until,
        visible_at: r.visible_at,
        leased: r.lid.is_some() && !expired,
        delivery_count: r.delivery_count,
        client_time: r.client_time,
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
