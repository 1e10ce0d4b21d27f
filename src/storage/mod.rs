//! The pluggable part: an ordered key-value store the queue keeps all its state in.
//!
//! Keys are ASCII strings ordered bytewise, so a `BTreeMap`, IndexedDB, Durable
//! Object storage and Workers KV all agree on the order. Values are opaque bytes.

mod blocks;
mod faulty;
mod memory;
mod write_limit;

pub use faulty::FaultyStorage;
pub use memory::MemoryStorage;
pub use write_limit::{Weight, WriteLimit};

use crate::error::Result;

/// Puts (`Some`) and deletes (`None`) applied together; a later entry for a key wins.
pub type Batch = Vec<(String, Option<Vec<u8>>)>;

/// An ordered key-value store. Futures need not be `Send`: JS-backed stores are not.
#[allow(async_fn_in_trait)]
pub trait Storage {
    /// The value stored under `key`, or `None` if there is none.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>>;

    /// Entries whose key starts with `prefix` and is `>= start`, ascending, at most `limit`.
    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>>;

    /// Applies the whole batch atomically: afterwards all of it is stored, or none of it.
    async fn write(&self, batch: Batch) -> Result<()>;

    /// True when the server over this store is the only one that ever writes
    /// it, so the server may keep what it wrote in memory instead of reading
    /// it back (`stats` does). False, the default, for stores shared by tabs,
    /// processes or several servers.
    fn sole_writer(&self) -> bool {
        false
    }

    /// Whether the store holds nothing at all, when it can tell without a
    /// read (the built-in store can); `None` when only a read would say. A
    /// sole-written store found empty lets its server mirror `stats` rows from
    /// the start instead of scanning on a first call.
    fn holds_nothing(&self) -> Option<bool> {
        None
    }

    /// True when the store's lock around an operation excludes only the
    /// operations on the same mailbox (PostgreSQL's per-mailbox advisory
    /// locks): an operation must then write no key of another mailbox, so
    /// the tombstone sweep collects only records of the operation's own.
    fn mailbox_locks(&self) -> bool {
        false
    }

    /// A hint that `key` is likely to be read by the next operation (a fetch
    /// names the record the following fetch will read). A store whose reads
    /// are round trips may start reading it now, within the current operation;
    /// the default does nothing. It never changes what any call returns.
    fn prefetch(&self, _key: &str) {}

    /// What one [`Storage::write`] may hold, when the store caps it (Deno KV);
    /// `None`, the default, for no cap. The bulk operations (`purge`,
    /// `redrive`, `reenqueue`) then split their work into writes that fit,
    /// each atomic and each holding whole messages, so none of them is refused
    /// for its size. (An operation on one message writes what it must, at once.)
    fn write_limit(&self) -> Option<WriteLimit> {
        None
    }

    /// Calls `f` with every entry under `prefix`, ascending: what a whole-prefix
    /// [`Storage::list`] returns, for readers that only count. A store that can
    /// walk its entries in place (the built-in one) does so without copying
    /// them; the default lists.
    async fn scan(&self, prefix: &str, f: &mut dyn FnMut(&str, &[u8]) -> Result<()>) -> Result<()> {
        for (key, value) in self.list(prefix, None, None).await? {
            f(&key, &value)?;
        }
        Ok(())
    }
}

impl<S: Storage + ?Sized> Storage for &S {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        (**self).get(key).await
    }
    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        (**self).list(prefix, start, limit).await
    }
    async fn write(&self, batch: Batch) -> Result<()> {
        (**self).write(batch).await
    }
    async fn scan(&self, prefix: &str, f: &mut dyn FnMut(&str, &[u8]) -> Result<()>) -> Result<()> {
        (**self).scan(prefix, f).await
    }
    fn sole_writer(&self) -> bool {
        (**self).sole_writer()
    }
    fn holds_nothing(&self) -> Option<bool> {
        (**self).holds_nothing()
    }
    fn mailbox_locks(&self) -> bool {
        (**self).mailbox_locks()
    }
    fn prefetch(&self, key: &str) {
        (**self).prefetch(key)
    }
    fn write_limit(&self) -> Option<WriteLimit> {
        (**self).write_limit()
    }
}
