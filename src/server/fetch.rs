//! `fetch_latest`: lease the mailbox's earliest due message.

use super::{to_message, Server};
use crate::body::Body;
use crate::config::{check_lease, check_mailbox};
use crate::error::{Error, Result};
use crate::layout;
use crate::message::{Message, Status};
use crate::random::Random;
use crate::record::Blob;
use crate::storage::{Batch, Storage};

impl<S: Storage, R: Random> Server<S, R> {
    /// Leases the due message of `receiver` with the earliest due time for `lease` ms
    /// (`None`: the default lease). `Ok(None)` when nothing is due, including for a
    /// mailbox that never received anything.
    ///
    /// The delivery index is ordered by "visible at" (due time, lease end or retry
    /// time), so the answer is its first entry: one ordered read, O(log n) at any
    /// depth, and an expired lease is found without any sweep.
    pub async fn fetch_latest(
        &self,
        now: i64,
        receiver: &str,
        lease: Option<i64>,
    ) -> Result<Option<Message>> {
        check_mailbox("receiver", receiver)?;
        let lease = lease.unwrap_or(self.config.default_lease);
        check_lease(lease)?;

        let _turn = self.gate.lock().await;
        let prefix = layout::visible_prefix(receiver);
        let Some((first, _)) = self.storage.list(&prefix, None, Some(1)).await?.pop() else {
            return Ok(None);
        };
        let (visible_at, mid) = layout::parse_index_key(&first)
            .ok_or_else(|| Error::Corrupt(format!("index key {first:?}")))?;
        if visible_at > now {
            return Ok(None);
        }
        let mut header = self
            .load_header(&mid)
            .await?
            .ok_or_else(|| Error::Corrupt(format!("index entry without header: {first}")))?;
        let blob = self.storage.get(&layout::blob(&mid)).await?;

        let mut batch = Batch::new();
        if header.lid.is_some() {
            // Found through the index, so its lease has run out.
            header.status = Status::Timeout.code();
            batch.push((layout::lease(header.leased_until, &mid), None));
        }
        let lid = self.new_lid()?;
        let leased_until = now + lease;
        // The lease holds through `leased_until` inclusive (ack accepts `now <= leased_until`),
        // so the message becomes visible one millisecond later: never two valid leases.
        let visible_at = leased_until + 1;
        batch.push((first, None));
        batch.push((layout::visible(receiver, visible_at, &mid), Some(Vec::new())));
        batch.push((layout::lease(leased_until, &mid), Some(Vec::new())));
        header.lid = Some(lid.clone());
        header.leased_until = leased_until;
        header.visible_at = visible_at;
        header.delivery_count += 1;
        batch.push((layout::header(&mid), Some(header.encode())));
        self.storage.write(batch).await?;

        let mut message = to_message(mid, &header, now);
        message.lid = Some(lid);
        message.body = match blob {
            Some(bytes) => Some(Body::decode(&Blob::decode(&bytes)?.data)),
            None => None,
        };
        Ok(Some(message))
    }
}
