//! `fetch_latest`: lease the mailbox's earliest due message.

use super::{to_message, Server};
use crate::body::Body;
use crate::config::{check_lease, check_mailbox};
use crate::error::{Error, Result};
use crate::layout;
use crate::message::{Message, Status};
use crate::random::Random;
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
        self.check_format().await?;
        let prefix = layout::visible_prefix(receiver);
        let Some((first, _)) = self.storage.list(&prefix, None, Some(1)).await?.pop() else {
            return Ok(None);
        };
        let (visible_at, mid) = layout::parse_index_key(&first)
            .ok_or_else(|| Error::Corrupt(format!("index key {first:?}")))?;
        if visible_at > now {
            return Ok(None);
        }
        let mut rec = self
            .load(&mid)
            .await?
            .ok_or_else(|| Error::Corrupt(format!("index entry without a record: {first}")))?;

        let mut batch = Batch::new();
        if rec.lid.is_some() {
            // Found through the index, so its lease has run out.
            rec.status = Status::Timeout.code();
        }
        let lid = self.new_lid()?;
        let leased_until = now + lease;
        // The lease holds through `leased_until` inclusive (ack accepts `now <= leased_until`),
        // so the message becomes visible one millisecond later: never two valid leases.
        let visible_at = leased_until + 1;
        batch.push((first, None));
        let entry = layout::Entry { leased: true, body_len: rec.body.len() as u32 };
        batch.push((layout::visible(receiver, visible_at, &mid), Some(entry.encode())));
        rec.lid = Some(lid.clone());
        rec.leased_until = leased_until;
        rec.lease_start = now;
        rec.visible_at = visible_at;
        rec.delivery_count += 1;
        batch.push((layout::message(&mid), Some(rec.encode())));
        self.storage.write(batch).await?;

        let mut message = to_message(mid, &rec, now);
        message.lid = Some(lid);
        message.body = Some(Body::decode(&rec.body));
        Ok(Some(message))
    }
}
