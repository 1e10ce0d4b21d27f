//! Dead letters: listing them and bringing them back (`redrive`).

use super::bulk::Bulk;
use super::{to_message, Server};
use crate::config::{check_mailbox, MAX_CHUNK};
use crate::error::{Error, Result};
use crate::layout;
use crate::message::{Message, Status};
use crate::random::Random;
use crate::server::list::Cursor;
use crate::storage::Storage;

impl<S: Storage, R: Random> Server<S, R> {
    /// Dead messages of `receiver` received after `after`, oldest first, at
    /// most `limit`, without bodies (`fetch_headers` with status dead).
    pub async fn fetch_dead(&self, now: i64, receiver: &str, after: Cursor, limit: usize) -> Result<Vec<Message>> {
        check_mailbox("receiver", receiver)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let prefix = layout::dead_prefix(receiver);
        let start = match after.mid {
            Some(mid) => layout::dead(receiver, after.received_at, &mid) + "!",
            None => format!("{prefix}{}", layout::time(after.received_at.saturating_add(1))),
        };
        let mut out = Vec::new();
        for (key, _) in self.storage.list(&prefix, Some(&start), Some(limit)).await? {
            let (_, mid) = layout::parse_index_key(&key).ok_or_else(|| Error::Corrupt(format!("index key {key:?}")))?;
            if let Some(rec) = self.load(&mid).await? {
                out.push(to_message(mid, &rec, now));
            }
        }
        Ok(out)
    }

    /// Moves up to `limit` (1 … 1000) dead messages of `receiver` back to the
    /// queue, oldest first: due at once, delivery count reset to 0, status
    /// `notDelivered`. One write (several on a store that caps its writes, each
    /// holding whole messages); returns how many moved (0 when none is dead).
    pub async fn redrive(&self, now: i64, receiver: &str, limit: usize) -> Result<u64> {
        check_mailbox("receiver", receiver)?;
        if !(1..=MAX_CHUNK).contains(&limit) {
            return Err(Error::OutOfRange(format!("limit must be between 1 and {MAX_CHUNK}, got {limit}")));
        }
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let prefix = layout::dead_prefix(receiver);
        let mut bulk = Bulk::default();
        let mut moved = 0;
        for (key, _) in self.storage.list(&prefix, None, Some(limit)).await? {
            let (_, mid) = layout::parse_index_key(&key).ok_or_else(|| Error::Corrupt(format!("index key {key:?}")))?;
            let mut rec =
                self.load(&mid).await?.ok_or_else(|| Error::Corrupt(format!("dead entry without a record: {key}")))?;
            bulk.rows.push((key, None));
            rec.status = Status::NotDelivered.code();
            rec.delivery_count = 0;
            rec.lid = None;
            rec.visible_at = now;
            // A redriven message gets a fresh lifetime: its old expiry made it dead.
            rec.expires_at = 0;
            bulk.rows.push((layout::visible(receiver, now, &mid), Some(rec.entry().encode())));
            let pointer = layout::encode_pointer(rec.received_at, now);
            bulk.rows.push((layout::received(receiver, rec.received_at, &mid), Some(pointer)));
            bulk.rows.push((layout::message(&mid), Some(rec.encode())));
            bulk.message_done();
            moved += 1;
        }
        self.commit_bulk(bulk).await?;
        Ok(moved)
    }
}
