//! `ack`: confirm or reject the message a consumer holds the lease of.

use super::{check_lid, Server};
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout;
use crate::message::{Ack, Status};
use crate::random::Random;
use crate::record::Record;
use crate::secret::same_secret;
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

    /// The record of `mid` if `lid` holds its lease at `now` (two reads), else
    /// the error an ack or extend gets.
    pub(crate) async fn leased(&self, now: i64, mid: &Key, lid: &str) -> Result<Record> {
        let rec = self.load(mid).await?.ok_or(Error::NotFound)?;
        if rec.status() == Status::Dead || !self.in_queue(mid, &rec).await? {
            return Err(Error::NotFound); // dead, or confirmed
        }
        match &rec.lid {
            Some(held) if same_secret(held, lid) => {}
            _ => return Err(Error::LockMismatch),
        }
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
                // The record stays for the dedupe window, unless there is none;
                // the sweep collects it (see `sweep.rs`).
                if self.config.dedupe_window == 0 {
                    batch.push((layout::message(mid), None));
                }
            }
            Ack::Rejected { retry_delay } => {
                rec.lid = None;
                rec.status = Status::Rejected.code();
                let wait = if retry_delay > 0 { retry_delay } else { self.backoff(&rec) };
                rec.visible_at = now + wait;
                let entry = layout::Entry::queued(rec.body.len());
                batch.push((layout::visible(&rec.receiver, rec.visible_at, mid), Some(entry.encode())));
                batch.push((layout::message(mid), Some(rec.encode())));
            }
        }
    }
}
