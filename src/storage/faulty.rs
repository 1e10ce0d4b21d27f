//! A fault-injecting wrapper: the crash test double for every storage backend.

use super::{Batch, Storage, WriteLimit};
use crate::error::{Error, Result};
use std::cell::Cell;

/// Passes calls through to `inner`, except that call number `fail_at` (1-based,
/// counting `get`, `list` and `write` together) fails with a `storage` error
/// without touching `inner`.
#[derive(Debug)]
pub struct FaultyStorage<S> {
    inner: S,
    calls: Cell<u64>,
    fail_at: Cell<Option<u64>>,
}

impl<S> FaultyStorage<S> {
    /// Wraps `inner`; no call fails until [`FaultyStorage::fail_at`] is set.
    pub fn new(inner: S) -> Self {
        FaultyStorage { inner, calls: Cell::new(0), fail_at: Cell::new(None) }
    }

    /// Makes call number `n` (counted from the last reset) fail; `None` disarms.
    pub fn fail_at(&self, n: Option<u64>) {
        self.fail_at.set(n);
    }

    /// Calls so far.
    pub fn calls(&self) -> u64 {
        self.calls.get()
    }

    /// Restarts the call count at 0.
    pub fn reset(&self) {
        self.calls.set(0);
    }

    /// The wrapped store.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    fn tick(&self) -> Result<()> {
        let n = self.calls.get() + 1;
        self.calls.set(n);
        if self.fail_at.get() == Some(n) {
            return Err(Error::Storage(format!("injected fault at call {n}")));
        }
        Ok(())
    }
}

impl<S: Storage> Storage for FaultyStorage<S> {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.tick()?;
        self.inner.get(key).await
    }

    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        self.tick()?;
        self.inner.list(prefix, start, limit).await
    }

    fn sole_writer(&self) -> bool {
        self.inner.sole_writer()
    }

    fn holds_nothing(&self) -> Option<bool> {
        self.inner.holds_nothing()
    }

    fn mailbox_locks(&self) -> bool {
        self.inner.mailbox_locks()
    }

    fn write_limit(&self) -> Option<WriteLimit> {
        self.inner.write_limit()
    }

    async fn write(&self, batch: Batch) -> Result<()> {
        self.tick()?;
        self.inner.write(batch).await
    }
}
