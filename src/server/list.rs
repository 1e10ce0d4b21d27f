//! Read-only views: pending headers of a mailbox, and stored blobs.

use super::{to_message, Server};
use crate::config::check_mailbox;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout;
use crate::message::Message;
use crate::random::Random;
use crate::storage::Storage;

/// Where a page of headers starts: after this receive time and, for messages
/// received in the same millisecond, after this mid. The default is the very
/// beginning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub received_at: i64,
    pub mid: Option<Key>,
}

impl Default for Cursor {
    fn default() -> Cursor {
        Cursor { received_at: i64::MIN, mid: None }
    }
}

impl<S: Storage, R: Random> Server<S, R> {
    /// Pending messages of `receiver` (delayed, due and leased; not confirmed)
    /// received after `after`, oldest first, at most `limit`, without bodies.
    /// Pass the last header's `received_at` and `mid` to get the next page.
    pub async fn fetch_headers(
        &self,
        now: i64,
        receiver: &str,
        after: Cursor,
        limit: usize,
    ) -> Result<Vec<Message>> {
        check_mailbox("receiver", receiver)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let prefix = layout::received_prefix(receiver);
        let start = match after.mid {
            // '!' sorts below every key digit: this skips exactly the cursor's own entry.
            Some(mid) => layout::received(receiver, after.received_at, &mid) + "!",
            None => format!("{prefix}{}", layout::time(after.received_at.saturating_add(1))),
        };
        let entries = self.storage.list(&prefix, Some(&start), Some(limit)).await?;
        let mut out = Vec::with_capacity(entries.len());
        for (key, _) in entries {
            let (_, mid) = layout::parse_index_key(&key)
                .ok_or_else(|| Error::Corrupt(format!("index key {key:?}")))?;
            if let Some(rec) = self.load(&mid).await? {
                out.push(to_message(mid, &rec, now));
            }
        }
        Ok(out)
    }

    /// The stored form-encoded body of `mid`, while some message in the queue
    /// uses it (pending or dead; not once confirmed).
    pub async fn fetch_blob(&self, mid: &Key) -> Result<Option<Vec<u8>>> {
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        match self.load(mid).await? {
            Some(rec) if self.in_queue(mid, &rec).await? => Ok(Some(rec.body)),
            _ => Ok(None),
        }
    }
}
