//! Behaviour of the queue core, one behaviour per file, driven by a fake clock.
#![cfg(not(target_arch = "wasm32"))]

mod support;

mod ack_errors;
mod batches;
mod blobs;
mod cancel;
mod capped_writes;
mod dead_letters;
mod delay;
mod extend;
mod faults;
mod faults_new_ops;
mod format_1;
mod headers;
mod idempotent_send;
mod key_layout;
mod lease_expiry;
mod limits;
mod mailbox_locks;
mod model;
mod next_due;
mod peek;
mod prefetch;
mod purge;
mod reenqueue;
mod reject;
mod retry_backoff;
mod row_counts;
mod serialisation;
mod stats;
mod stats_mirror;
mod ttl;
mod unknown_mailbox;
