//! `ack`: confirm or reject the message a consumer holds the lease of.

use super::{check_lid, Server};
use crate::secret::same_secret;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout;
use crate::message::{Ack, Status};
use crate::random::Random;
use crate::record::Blob;
use crate::storage::{Batch, Storage};

/// Tombstones collected per confirm: more than one per confirm keeps up with creation.
const TOMBSTONE_SWEEP: usize = 4;

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
        let mut header = match self.load_header(mid).await? {
            Some(h) if h.status() != Status::Confirmed => h,
            _ => return Err(Error::NotFound),
        };
        match &header.lid {
            Some(held) if same_secret(held, lid) => {}
            _ => return Err(Error::LockMismatch),
        }
        if now > header.leased_until {
            return Err(Error::LeaseExpired);
        }

        let mut batch = Batch::new();
        batch.push((layout::visible(&header.receiver, header.visible_at, mid), None));
        batch.push((layout::lease(header.leased_until, mid), None));
        header.lid = None;
        match ack {
            Ack::Confirmed => {
                self.sweep_tombstones(now, &mut batch).await?;
                batch.push((layout::received(&header.receiver, header.received_at, mid), None));
                let blob_key = layout::blob(mid);
                if let Some(bytes) = self.storage.get(&blob_key).await? {
                    let mut blob = Blob::decode(&bytes)?;
                    blob.refs = blob.refs.saturating_sub(1);
                    batch.push((blob_key, (blob.refs > 0).then(|| blob.encode())));
                }
                if self.config.dedupe_window == 0 {
                    batch.push((layout::header(mid), None));
                } else {
                    header.status = Status::Confirmed.code();
                    header.tombstone_until = now + self.config.dedupe_window;
                    batch.push((layout::tombstone(header.tombstone_until, mid), Some(Vec::new())));
                    batch.push((layout::header(mid), Some(header.encode())));
                }
            }
            Ack::Rejected { retry_delay } => {
                header.status = Status::Rejected.code();
                header.visible_at = now + retry_delay;
                batch.push((layout::visible(&header.receiver, header.visible_at, mid), Some(Vec::new())));
                batch.push((layout::header(mid), Some(header.encode())));
            }
        }
        self.storage.write(batch).await
    }

    /// Adds deletions for a few tombstones whose dedupe window has closed.
    async fn sweep_tombstones(&self, now: i64, batch: &mut Batch) -> Result<()> {
        let due = self.storage.list(layout::TOMBSTONES, None, Some(TOMBSTONE_SWEEP)).await?;
        for (key, _) in due {
            match layout::parse_index_key(&key) {
                Some((until, mid)) if until <= now => {
                    batch.push((layout::header(&mid), None));
                    batch.push((key, None));
                }
                _ => break,
            }
        }
        Ok(())
    }
}
