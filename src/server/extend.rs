//! `extend`: renew the running lease of a message (SQS ChangeMessageVisibility).

use super::{check_lid, Server};
use crate::config::{check_lease, MAX_LEASE};
use crate::error::{Error, Result};
use crate::key::Key;
use crate::layout;
use crate::random::Random;
use crate::storage::{Batch, Storage};

impl<S: Storage, R: Random> Server<S, R> {
    /// Makes the lease `lid` on `mid` run until `now + lease` and returns that
    /// new `leased_until`. Only the current lid of an unexpired lease may
    /// extend (`lock_mismatch`, `lease_expired`, `not_found` as for `ack`), and
    /// never past 12 h after the fetch that issued the lid (`out_of_range`).
    /// The lid stays the same: the record is rewritten to say where the
    /// lease's entry moved (so an extend writes three rows, a fetch two).
    pub async fn extend(&self, now: i64, mid: &Key, lid: &str, lease: i64) -> Result<i64> {
        check_lid(lid)?;
        check_lease(lease)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let mut rec = self.leased(now, mid, lid).await?;
        let until = now + lease;
        if until > rec.lease_start + MAX_LEASE {
            return Err(Error::OutOfRange(format!(
                "a lease may not end more than 12h after its fetch ({} ms too far)",
                until - rec.lease_start - MAX_LEASE
            )));
        }
        let mut batch = Batch::new();
        batch.push((layout::visible(&rec.receiver, rec.visible_at, mid), None));
        let random = rec.lid.expect("a leased record holds its lid");
        self.set_lease(mid, &mut rec, until, random, true, &mut batch);
        self.commit(batch).await?;
        Ok(until)
    }
}
