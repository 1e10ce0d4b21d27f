//! `peek`: look at the next due messages without taking them.

use super::{to_message, Server};
use crate::body::Body;
use crate::config::check_mailbox;
use crate::error::Result;
use crate::message::Message;
use crate::random::Random;
use crate::storage::Storage;

impl<S: Storage, R: Random> Server<S, R> {
    /// Up to `limit` (1 … 100) messages of `receiver` that a fetch would hand
    /// out now, earliest due first, with their bodies and without a lid.
    /// Nothing is written: messages a fetch would retire (expired, or dead at
    /// their delivery limit) are left out, not retired.
    pub async fn peek(&self, now: i64, receiver: &str, limit: usize) -> Result<Vec<Message>> {
        check_mailbox("receiver", receiver)?;
        super::fetch::check_count("limit", limit)?;
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let mut out = Vec::new();
        for (at, mid, entry) in self.due_entries(now, receiver, limit).await? {
            let rec = self.load_pending(&mid, at, &entry).await?;
            if rec.expired(now) || (rec.lid.is_some() && self.at_limit(&rec)) {
                continue;
            }
            let mut message = to_message(mid, &rec, now);
            message.body = Some(Body::decode(&rec.body));
            out.push(message);
        }
        Ok(out)
    }
}
