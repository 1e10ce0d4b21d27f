//! `send_batch` and `ack_batch`: many sends or acks, one write.

use super::{check_lid, Server};
use crate::config::{MAX_BATCH, MAX_BATCH_BYTES};
use crate::error::{Error, Result};
use crate::key::Key;
use crate::message::{Ack, AckRequest, Receipt};
use crate::random::Random;
use crate::server::SendRequest;
use crate::storage::{Batch, Storage};
use std::collections::HashMap;

impl<S: Storage, R: Random> Server<S, R> {
    /// Sends up to 100 messages (at most 1 MiB of encoded bodies in all) in one
    /// atomic write, receipts in input order. Every item is checked first: one
    /// bad item refuses the whole call with its own code and its index
    /// ([`Error::BatchItem`]), and nothing is enqueued. An item identical to an
    /// earlier one of the same call is a duplicate of it.
    pub async fn send_batch(&self, now: i64, reqs: Vec<SendRequest>) -> Result<Vec<Receipt>> {
        if reqs.len() > MAX_BATCH {
            return Err(Error::BadRequest(format!("at most {MAX_BATCH} messages per batch, got {}", reqs.len())));
        }
        let mut prepared = Vec::with_capacity(reqs.len());
        let mut total = 0;
        for (index, req) in reqs.into_iter().enumerate() {
            let p = self.prepare(now, req).map_err(|e| Error::BatchItem { index, error: Box::new(e) })?;
            total += p.blob.len();
            prepared.push(p);
        }
        if total > MAX_BATCH_BYTES {
            return Err(Error::MessageTooBig { size: total, max: MAX_BATCH_BYTES });
        }

        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let mut batch = Batch::new();
        let mut receipts: Vec<Receipt> = Vec::with_capacity(prepared.len());
        let mut reads = 0;
        let receivers: Vec<String> = prepared.iter().map(|p| p.req.receiver.clone()).collect();
        for p in prepared {
            if receipts.iter().any(|r| r.mid == p.mid) {
                receipts.push(Receipt { mid: p.mid, duplicate: true });
                continue;
            }
            receipts.push(self.enqueue(now, p, &mut batch, &mut reads).await?);
        }
        if !batch.is_empty() {
            let own: Vec<Key> = receipts.iter().map(|r| r.mid).collect();
            // One sweep step for the whole batch: it needs two reads of its own.
            let mailboxes: Vec<&str> = receivers.iter().map(String::as_str).collect();
            let next = self.sweep(now, 1, &mut batch, &own, &mailboxes).await?;
            self.commit(batch).await?;
            self.sweep_done(next);
        }
        Ok(receipts)
    }

    /// Up to 100 acks, each independent: per item, `Ok` or the error that ack
    /// alone would get. The successful ones are written together in one atomic
    /// write; if that write (or a read) fails, the whole call fails and
    /// nothing changed.
    pub async fn ack_batch(&self, now: i64, acks: Vec<AckRequest>) -> Result<Vec<Result<()>>> {
        if acks.len() > MAX_BATCH {
            return Err(Error::BadRequest(format!("at most {MAX_BATCH} acks per batch, got {}", acks.len())));
        }
        let _turn = self.gate.lock().await;
        self.check_format().await?;
        let mut batch = Batch::new();
        let mut out = Vec::with_capacity(acks.len());
        // Mids settled earlier in this call, and how: what a repeat would meet.
        let mut settled: HashMap<Key, Ack> = HashMap::new();
        for a in acks {
            let checked = check_lid(&a.lid).and_then(|()| self.check_retry(a.ack));
            if let Err(e) = checked {
                out.push(Err(e));
                continue;
            }
            if let Some(earlier) = settled.get(&a.mid) {
                out.push(Err(match earlier {
                    Ack::Confirmed => Error::NotFound,
                    Ack::Rejected { .. } => Error::LockMismatch,
                }));
                continue;
            }
            match self.leased(now, &a.mid, &a.lid).await {
                Ok(rec) => {
                    self.settle(now, &a.mid, rec, a.ack, &mut batch);
                    settled.insert(a.mid, a.ack);
                    out.push(Ok(()));
                }
                Err(e @ Error::Storage(_)) => return Err(e),
                Err(e) => out.push(Err(e)),
            }
        }
        if !batch.is_empty() {
            self.commit(batch).await?;
        }
        Ok(out)
    }
}
