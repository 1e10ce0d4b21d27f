//! Limits and defaults of a server.

use crate::error::{Error, Result};

/// One second, in ms.
pub const SECOND: i64 = 1_000;
/// One minute, in ms.
pub const MINUTE: i64 = 60 * SECOND;
/// One hour, in ms.
pub const HOUR: i64 = 60 * MINUTE;
/// One day, in ms.
pub const DAY: i64 = 24 * HOUR;

/// Shortest lease a consumer may ask for, in ms.
pub const MIN_LEASE: i64 = 1;
/// Longest lease a consumer may ask for, in ms.
pub const MAX_LEASE: i64 = 12 * HOUR;
/// Largest `max_delay` a server accepts: ten years, in ms.
pub const MAX_DELAY_LIMIT: i64 = 3650 * DAY;
/// Longest mailbox name, in bytes of UTF-8.
pub const MAX_MAILBOX_LEN: usize = 255;

/// Most items in one `send_batch`, `fetch_batch`, `ack_batch` or `peek`.
pub const MAX_BATCH: usize = 100;
/// Most encoded body bytes in one `send_batch`.
pub const MAX_BATCH_BYTES: usize = 1 << 20;
/// Longest a fetch may wait for a message to come due (long polling), as SQS allows.
pub const MAX_WAIT: i64 = 20 * SECOND;
/// Most messages one `redrive` call or one `purge` chunk handles.
pub const MAX_CHUNK: usize = 1_000;

/// The delay before a timed-out or rejected message is due again when the ack
/// names none: `initial * factor^(deliveries - 1)`, at most `max` (ms).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryBackoff {
    pub initial: i64,
    pub max: i64,
    pub factor: f64,
}

impl RetryBackoff {
    /// The delay after the `deliveries`-th delivery failed (1 for the first).
    pub fn delay(&self, deliveries: u32) -> i64 {
        let exp = deliveries.saturating_sub(1).min(1_000) as i32;
        let raw = self.initial as f64 * self.factor.powi(exp);
        if raw.is_finite() && raw < self.max as f64 {
            raw as i64
        } else {
            self.max
        }
    }
}

/// Tunable limits. All durations are in ms.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Largest encoded body accepted by `send`, in bytes (default 4096, as the Go original).
    pub max_size: usize,
    /// Lease used when a fetch names none (default 5 minutes).
    pub default_lease: i64,
    /// Longest delay (and reject retry delay) accepted (default 30 days).
    pub max_delay: i64,
    /// How long a confirmed message still deduplicates identical sends (default 5 minutes, as SQS FIFO).
    pub dedupe_window: i64,
    /// Prepended to every lock id as `<prefix>.<hex>` so a router can tell which
    /// server issued it (the Worker puts its Durable Object id here). Empty: none.
    pub lid_prefix: String,
    /// Deliveries after which a rejected or timed-out message becomes dead
    /// instead of due again; 0: unlimited (the default, as the Go original).
    pub max_deliveries: u32,
    /// Delay before a timed-out or rejected message is due again; `None`: at once.
    pub retry_backoff: Option<RetryBackoff>,
    /// Longest a message stays pending, whatever its ttl; 0: forever.
    pub retention: i64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_size: 4096,
            default_lease: 5 * MINUTE,
            max_delay: 30 * DAY,
            dedupe_window: 5 * MINUTE,
            lid_prefix: String::new(),
            max_deliveries: 0,
            retry_backoff: None,
            retention: 0,
        }
    }
}

impl Config {
    /// Checks that every limit makes sense.
    pub fn validate(&self) -> Result<()> {
        if self.max_size == 0 {
            return Err(Error::OutOfRange("maxSize must be at least 1 byte".into()));
        }
        check_lease(self.default_lease)?;
        // Bounded so that `now + delay` can never overflow for any time a host can express.
        if !(0..=MAX_DELAY_LIMIT).contains(&self.max_delay) {
            return Err(Error::OutOfRange("maxDelay must be between 0 and 10 years".into()));
        }
        if !(0..=30 * DAY).contains(&self.dedupe_window) {
            return Err(Error::OutOfRange("dedupeWindow must be between 0 and 30 days".into()));
        }
        let prefix_ok = self.lid_prefix.len() <= 128
            && self.lid_prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if let Some(b) = self.retry_backoff {
            if !(b.factor >= 1.0 && b.factor.is_finite()) {
                // No float in the message: formatting one would pull the float printer into the wasm.
                return Err(Error::BadRequest("retryBackoff.factor must be a finite number of at least 1".into()));
            }
            if !(0..=self.max_delay).contains(&b.initial) || !(b.initial..=self.max_delay).contains(&b.max) {
                return Err(Error::BadRequest(format!(
                    "retryBackoff needs 0 <= initial <= max <= maxDelay, got initial {} and max {}",
                    b.initial, b.max
                )));
            }
        }
        if !(0..=MAX_DELAY_LIMIT).contains(&self.retention) {
            return Err(Error::OutOfRange("retention must be between 0 (forever) and 10 years".into()));
        }
        if !prefix_ok {
            return Err(Error::OutOfRange("lidPrefix must be at most 128 characters of [A-Za-z0-9_-]".into()));
        }
        Ok(())
    }
}

/// A lease must be between 1 ms and 12 h.
pub fn check_lease(lease: i64) -> Result<()> {
    if (MIN_LEASE..=MAX_LEASE).contains(&lease) {
        Ok(())
    } else {
        Err(Error::OutOfRange(format!("lease must be between 1ms and 12h, got {lease}ms")))
    }
}

/// A long poll's wait must be between 0 and 20 s.
pub fn check_wait(wait: i64) -> Result<()> {
    if (0..=MAX_WAIT).contains(&wait) {
        Ok(())
    } else {
        Err(Error::OutOfRange(format!("wait must be between 0 and 20s, got {wait}ms")))
    }
}

/// A mailbox name must be non-empty UTF-8 of at most 255 bytes.
pub fn check_mailbox(role: &str, name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::InvalidMailbox(format!("{role} is empty")));
    }
    if name.len() > MAX_MAILBOX_LEN {
        return Err(Error::InvalidMailbox(format!(
            "{role} is {} bytes, at most {MAX_MAILBOX_LEN} allowed",
            name.len()
        )));
    }
    Ok(())
}
