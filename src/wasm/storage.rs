//! The store a bound server runs on: the built-in one, or JS callbacks.

use super::js_storage::JsStorage;
use crate::error::Result;
use crate::storage::{Batch, MemoryStorage, Storage, WriteLimit};

/// Either backend, so one server type serves both without dynamic dispatch.
pub enum AnyStorage {
    /// In-wasm `BTreeMap`: no JS call on the hot path.
    Memory(MemoryStorage),
    /// Duck-typed `{ get, list, write }` JS object.
    Js(JsStorage),
}

impl Storage for AnyStorage {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        match self {
            AnyStorage::Memory(s) => s.get(key).await,
            AnyStorage::Js(s) => s.get(key).await,
        }
    }

    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        match self {
            AnyStorage::Memory(s) => s.list(prefix, start, limit).await,
            AnyStorage::Js(s) => s.list(prefix, start, limit).await,
        }
    }

    async fn scan(&self, prefix: &str, f: &mut dyn FnMut(&str, &[u8]) -> Result<()>) -> Result<()> {
        match self {
            AnyStorage::Memory(s) => s.scan(prefix, f).await,
            AnyStorage::Js(s) => s.scan(prefix, f).await,
        }
    }

    fn sole_writer(&self) -> bool {
        match self {
            AnyStorage::Memory(s) => s.sole_writer(),
            AnyStorage::Js(s) => s.sole_writer(),
        }
    }

    fn holds_nothing(&self) -> Option<bool> {
        match self {
            AnyStorage::Memory(s) => s.holds_nothing(),
            AnyStorage::Js(s) => s.holds_nothing(),
        }
    }

    fn mailbox_locks(&self) -> bool {
        match self {
            AnyStorage::Memory(s) => s.mailbox_locks(),
            AnyStorage::Js(s) => s.mailbox_locks(),
        }
    }

    fn prefetch(&self, key: &str) {
        if let AnyStorage::Js(s) = self {
            s.prefetch(key);
        }
    }

    fn write_limit(&self) -> Option<WriteLimit> {
        match self {
            AnyStorage::Memory(s) => s.write_limit(),
            AnyStorage::Js(s) => s.write_limit(),
        }
    }

    async fn write(&self, batch: Batch) -> Result<()> {
        match self {
            AnyStorage::Memory(s) => s.write(batch).await,
            AnyStorage::Js(s) => s.write(batch).await,
        }
    }
}
