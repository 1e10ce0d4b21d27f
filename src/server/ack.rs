//! `ack`: confirm or reject the message a consumer holds the lease of.

use super::{check_lid, lid, Server};
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout::{self, Entry};
use crate::message::{Ack, Status};
use crate::random::Random;
use crate::record::Record;
use crate::storage::{Batch, Storage};

impl<S: Storage, R: Random> Server<S, R> {
    /// Settles the lease `lid` on message `mid`. Only the current lid, before its
    /// lease ends, may ack; anything else is an error and changes nothing.
    pub async fn ack(&self, now: i64, mid: &Key, lid: &str, ack: Ack) -> Result<()> {
        check_lid(lid)?;
        self.check_retry(ack)?;

        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let rec = self.leased(now, mid, lid).await?;
        let mut batch = Batch::new();
        self.settle(now, mid, rec, ack, &mut batch);
        self.commit(batch).await
    }

    /// A retry delay must be 0 … `max_delay`.
    pub(crate) fn check_retry(&self, ack: Ack) -> Result<()> {
        match ack {
            Ack::Rejected { retry_delay } if !(0..=self.config.max_delay).contains(&retry_delay) => {
                Err(Error::OutOfRange(format!("retry delay {retry_delay}ms")))
            }
            _ => Ok(()),
        }
    }

    /// The record of `mid`, its lease's delivery entry applied, if `lid`
    /// holds that lease at `now` (two reads: the record, then the entry the
    /// lid names), else the error an ack or extend gets.
    pub(crate) async fn leased(&self, now: i64, mid: &Key, lid: &str) -> Result<Record> {
        let mut rec = self.load(mid).await?.ok_or(Error::NotFound)?;
        if rec.status() == Status::Dead {
            return Err(Error::NotFound);
        }
        let entry = match lid::parse(&self.config.lid_prefix, lid) {
            Some((random, at)) => {
                // An extended lease's entry has moved; the record says where.
                let at = match rec.lid {
                    Some(stored) if lid::holds(random, &stored) => rec.visible_at,
                    _ => at,
                };
                let key = layout::visible(&rec.receiver, at, mid);
                let entry = match self.storage.get(&key).await? {
                    Some(bytes) => {
                        Some(Entry::decode(&bytes).ok_or_else(|| Error::Corrupt(format!("delivery entry {key:?}")))?)
                    }
                    None => None,
                };
                entry.filter(|e| e.leased && lid::holds(random, &e.lid)).map(|e| (at, e))
            }
            None => None,
        };
        let Some((at, entry)) = entry else {
            // No lease of this lid: a mismatch while the message is pending.
            return Err(if self.in_queue(mid, &rec).await? { Error::LockMismatch } else { Error::NotFound });
        };
        rec.apply(at, &entry);
        if now > rec.leased_until {
            return Err(Error::LeaseExpired);
        }
        Ok(rec)
    }

    /// Adds the rows of an ack of the leased record `rec` to `batch`.
    pub(crate) fn settle(&self, now: i64, mid: &Key, mut rec: Record, ack: Ack, batch: &mut Batch) {
        if matches!(ack, Ack::Rejected { .. }) && self.at_limit(&rec) {
            return self.kill(mid, rec, batch);
        }
        batch.push((layout::visible(&rec.receiver, rec.visible_at, mid), None));
        match ack {
            Ack::Confirmed => {
                batch.push((layout::received(&rec.receiver, rec.received_at, mid), None));
                // The record stays while a send could still repeat it (see
                // `sweep.rs`, which collects it); else it goes now.
                if !self.keeps_for_dedupe(now, &rec) {
                    batch.push((layout::message(mid), None));
                }
            }
            Ack::Rejected { retry_delay } => {
                rec.lid = None;
                rec.status = Status::Rejected.code();
                let wait = if retry_delay > 0 { retry_delay } else { self.backoff(&rec) };
                rec.visible_at = now + wait;
                batch.push((layout::visible(&rec.receiver, rec.visible_at, mid), Some(rec.entry().encode())));
                let pointer = layout::encode_pointer(rec.received_at, rec.visible_at);
                batch.push((layout::received(&rec.receiver, rec.received_at, mid), Some(pointer)));
            }
        }
    }
}
