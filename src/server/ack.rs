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
        if let Ack::Rejected { retry_delay } = ack {
            if !(0..=self.config.max_delay).contains(&retry_delay) {
                return Err(Error::OutOfRange(format!("retry delay {retry_delay}ms")));
            }
        }

        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let rec = self.leased(now, mid, lid).await?;
        let mut batch = Batch::new();
        self.settle(now, mid, rec, ack, &mut batch);
        self.storage.write(batch).await
    }

    /// The record of `mid` if `lid` holds its lease at `now` (two reads), else
    /// the error an ack or extend gets.
    pub(crate) async fn leased(&self, now: i64, mid: &Key, lid: &str) -> Result<Record> {
        let rec = self.load(mid).await?.ok_or(Error::NotFound)?;
        if !self.in_queue(mid, &rec).await? {
            return Err(Error::NotFound); // confirmed
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
                rec.visible_at = now + retry_delay;
                let entry = layout::Entry { leased: false, body_len: rec.body.len() as u32 };
                batch.push((layout::visible(&rec.receiver, rec.visible_at, mid), Some(entry.encode())));
                batch.push((layout::message(mid), Some(rec.encode())));
            }
        }
    }
}
