//! `cancel`: take a pending message back before it is processed.

use super::Server;
use crate::config::check_mailbox;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout;
use crate::message::Status;
use crate::random::Random;
use crate::storage::{Batch, Storage};

impl<S: Storage, R: Random> Server<S, R> {
    /// Removes the pending message `mid` of `receiver` (delayed, due or leased)
    /// with its body, and returns true; false when no such message is pending
    /// (unknown, another mailbox's, confirmed or dead). A later ack of a lease
    /// it had fails with `not_found`.
    ///
    /// Its listing entry says where its delivery entry is unless a fetch has
    /// moved it since: a fetch writes nothing but the delivery entry. A leased
    /// message is then looked for in the mailbox's delivery index, one page at
    /// a time: O(pending messages) reads, for this one case.
    pub async fn cancel(&self, _now: i64, receiver: &str, mid: &Key) -> Result<bool> {
        check_mailbox("receiver", receiver)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let Some(mut rec) = self.load(mid).await? else { return Ok(false) };
        if rec.receiver != receiver || rec.status() == Status::Dead {
            return Ok(false);
        }
        let listing = layout::received(receiver, rec.received_at, mid);
        let Some(pointer) = self.storage.get(&listing).await? else { return Ok(false) };
        let at = layout::decode_pointer(rec.received_at, &pointer)
            .ok_or_else(|| Error::Corrupt(format!("listing entry {listing:?}")))?;
        rec.visible_at = match self.storage.get(&layout::visible(receiver, at, mid)).await? {
            Some(_) => at,
            None => self.find_entry(receiver, mid).await?,
        };
        let mut batch = Batch::new();
        self.remove(mid, &rec, &mut batch);
        self.commit(batch).await?;
        Ok(true)
    }

    /// The time of `mid`'s delivery entry in `receiver`'s index, by scanning it.
    async fn find_entry(&self, receiver: &str, mid: &Key) -> Result<i64> {
        let is_mine = |key: &str, _: &[u8]| layout::parse_index_key(key).is_none_or(|(_, found)| found == *mid);
        for (key, _) in self.walk(&layout::visible_prefix(receiver), is_mine).await? {
            match layout::parse_index_key(&key) {
                Some((at, found)) if found == *mid => return Ok(at),
                Some(_) => {}
                None => return Err(Error::Corrupt(format!("delivery entry {key:?}"))),
            }
        }
        Err(Error::Corrupt(format!("pending message {mid} has no delivery entry")))
    }
}
