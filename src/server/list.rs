//! Read-only views: pending headers of a mailbox, and stored blobs.

use super::{to_message, Server};
use crate::config::check_mailbox;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout::{self, Entry};
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

/// Which messages a listing shows: the one name shared by `fetchHeaders`'
/// `status` option and `GET …/admin/headers?status=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// Pending and not under a lease (what the Go original lists); the default.
    Pending,
    /// Under a lease, running or run out.
    Leased,
    /// Dead letters.
    Dead,
}

impl Listing {
    /// `None` and `"pending"` are [`Listing::Pending`]; anything else but
    /// `"leased"` and `"dead"` is `bad_request`.
    pub fn parse(status: Option<&str>) -> Result<Listing> {
        match status {
            None | Some("pending") => Ok(Listing::Pending),
            Some("leased") => Ok(Listing::Leased),
            Some("dead") => Ok(Listing::Dead),
            Some(other) => {
                Err(Error::BadRequest(format!("status must be \"pending\", \"leased\" or \"dead\", got {other:?}")))
            }
        }
    }
}

impl<S: Storage, R: Random> Server<S, R> {
    /// A page of the `listing` of `receiver`: [`Server::fetch_headers`],
    /// [`Server::fetch_leased`] or [`Server::fetch_dead`].
    pub async fn fetch_listing(
        &self,
        now: i64,
        receiver: &str,
        listing: Listing,
        after: Cursor,
        limit: usize,
    ) -> Result<Vec<Message>> {
        match listing {
            Listing::Pending => self.fetch_headers(now, receiver, after, limit).await,
            Listing::Leased => self.fetch_leased(now, receiver, after, limit).await,
            Listing::Dead => self.fetch_dead(now, receiver, after, limit).await,
        }
    }

    /// Pending messages of `receiver` that are not under a lease (delayed and
    /// due; not confirmed, not leased) received after `after`, oldest first,
    /// at most `limit`, without bodies. Pass the last header's `received_at`
    /// and `mid` to get the next page. As in the Go original, a message leaves
    /// the listing while it is leased and comes back when a reject, or
    /// `reenqueue` after its lease ran out, puts it back.
    pub async fn fetch_headers(&self, now: i64, receiver: &str, after: Cursor, limit: usize) -> Result<Vec<Message>> {
        self.list_pending(now, receiver, after, limit, false).await
    }

    /// What [`Server::fetch_headers`] leaves out: the messages of `receiver`
    /// under a lease (running, or run out and not delivered again), in the
    /// same order and pages, with their lease, without lids. A fetch does not
    /// tell the listing index where it put a lease, so this reads the
    /// mailbox's whole delivery index once per call: O(pending) reads, for an
    /// operator's view, never on the queue's path.
    pub async fn fetch_leased(&self, now: i64, receiver: &str, after: Cursor, limit: usize) -> Result<Vec<Message>> {
        self.list_pending(now, receiver, after, limit, true).await
    }

    /// Pages through the listing index; `leased` picks the messages whose
    /// delivery entry is not where their listing entry points (a fetch moved
    /// it) instead of those whose entry is.
    async fn list_pending(
        &self,
        now: i64,
        receiver: &str,
        after: Cursor,
        limit: usize,
        leased: bool,
    ) -> Result<Vec<Message>> {
        check_mailbox("receiver", receiver)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let prefix = layout::received_prefix(receiver);
        let mut start = match after.mid {
            // '!' sorts below every key digit: this skips exactly the cursor's own entry.
            Some(mid) => layout::received(receiver, after.received_at, &mid) + "!",
            None => format!("{prefix}{}", layout::time(after.received_at.saturating_add(1))),
        };
        let mut out = Vec::with_capacity(limit.min(64));
        if limit == 0 {
            return Ok(out);
        }
        // The mailbox's leased entries (mid, key, value), read once, when the first is needed.
        let mut leases: Option<Vec<(Key, String, Vec<u8>)>> = None;
        // Some entries are skipped, so a page may take more than one list.
        loop {
            let entries = self.storage.list(&prefix, Some(&start), Some(limit)).await?;
            let last = entries.len() < limit;
            for (key, pointer) in entries {
                let corrupt = || Error::Corrupt(format!("listing entry {key:?}"));
                let (received_at, mid) = layout::parse_index_key(&key).ok_or_else(corrupt)?;
                let at = layout::decode_pointer(received_at, &pointer).ok_or_else(corrupt)?;
                start = format!("{key}!");
                let mut visible = layout::visible(receiver, at, &mid);
                let mut found = self.storage.get(&visible).await?;
                // Gone from where the listing entry points: a fetch moved it under a lease.
                if found.is_some() == leased {
                    continue;
                }
                if leased {
                    if leases.is_none() {
                        let is_lease = |_: &str, v: &[u8]| Entry::decode(v).is_some_and(|e| e.leased);
                        let rows = self.walk(&layout::visible_prefix(receiver), is_lease).await?;
                        leases = Some(
                            rows.into_iter()
                                .filter_map(|(k, v)| Some((layout::parse_index_key(&k)?.1, k, v)))
                                .collect(),
                        );
                    }
                    let Some((_, k, v)) = leases.iter().flatten().find(|(m, _, _)| *m == mid) else { continue };
                    (visible, found) = (k.clone(), Some(v.clone()));
                }
                let bytes = found.unwrap_or_default();
                let entry =
                    Entry::decode(&bytes).ok_or_else(|| Error::Corrupt(format!("delivery entry {visible:?}")))?;
                if entry.leased != leased {
                    continue;
                }
                let at = layout::parse_index_time(&visible).ok_or_else(corrupt)?;
                out.push(to_message(mid, &self.load_pending(&mid, at, &entry).await?, now));
                if out.len() == limit {
                    return Ok(out);
                }
            }
            if last {
                return Ok(out);
            }
        }
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
