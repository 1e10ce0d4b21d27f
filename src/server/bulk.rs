//! The writes of the bulk operations (`purge`, `redrive`, `reenqueue`) on a
//! store that caps what one write holds ([`Storage::write_limit`]).
//!
//! Such an operation still reads first and writes last, but it writes in
//! several atomic chunks, each holding whole messages: a failure between two
//! chunks leaves every message either done or untouched, never half changed,
//! and calling the operation again finishes the job.

use super::Server;
use crate::error::Result;
use crate::random::Random;
use crate::storage::{Batch, Storage, Weight, WriteLimit};

/// A batch of many messages' rows, with where each message's rows end.
#[derive(Default)]
pub(crate) struct Bulk {
    pub(crate) rows: Batch,
    ends: Vec<usize>,
}

impl Bulk {
    /// Marks the rows pushed so far as whole messages: a chunk may end here.
    pub(crate) fn message_done(&mut self) {
        if self.ends.last().copied().unwrap_or(0) != self.rows.len() {
            self.ends.push(self.rows.len());
        }
    }
}

impl<S: Storage, R: Random> Server<S, R> {
    /// Writes `bulk`: one atomic write, or on a store that caps its writes,
    /// as few as fit, each ending at a message's end. (One message too big
    /// for a write on its own goes alone, and the store refuses it.)
    pub(crate) async fn commit_bulk(&self, mut bulk: Bulk) -> Result<()> {
        bulk.message_done();
        let limit = self.storage.write_limit().unwrap_or(WriteLimit::NONE);
        let mut open = Weight::default(); // of the rows since the last cut
        let (mut cut, mut from) = (0, 0); // rows already written; where this message begins
        for &end in &bulk.ends {
            let message = limit.weigh(&bulk.rows[from - cut..end - cut]);
            if !limit.holds(open + message) && from > cut {
                self.commit(bulk.rows.drain(..from - cut).collect()).await?;
                (cut, open) = (from, Weight::default());
            }
            open = open + message;
            from = end;
        }
        if !bulk.rows.is_empty() {
            self.commit(bulk.rows).await?;
        }
        Ok(())
    }
}
