//! `cancel`: take a pending message back before it is processed.

use super::Server;
use crate::config::check_mailbox;
use crate::error::Result;
use crate::key::Key;
use crate::message::Status;
use crate::random::Random;
use crate::storage::{Batch, Storage};

impl<S: Storage, R: Random> Server<S, R> {
    /// Removes the pending message `mid` of `receiver` (delayed, due or leased)
    /// with its body, and returns true; false when no such message is pending
    /// (unknown, another mailbox's, confirmed or dead). A later ack of a lease
    /// it had fails with `not_found`.
    pub async fn cancel(&self, _now: i64, receiver: &str, mid: &Key) -> Result<bool> {
        check_mailbox("receiver", receiver)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let Some(rec) = self.load(mid).await? else { return Ok(false) };
        if rec.receiver != receiver || rec.status() == Status::Dead || !self.in_queue(mid, &rec).await? {
            return Ok(false);
        }
        let mut batch = Batch::new();
        self.remove(mid, &rec, &mut batch);
        self.commit(batch).await?;
        Ok(true)
    }
}
