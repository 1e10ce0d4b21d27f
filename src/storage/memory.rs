//! The built-in store: a `BTreeMap` inside the process (or the wasm instance).

use super::{Batch, Storage};
use crate::error::Result;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// An in-memory ordered store. Fastest, and gone with the process.
#[derive(Debug, Default)]
pub struct MemoryStorage {
    map: RefCell<BTreeMap<String, Vec<u8>>>,
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> MemoryStorage {
        MemoryStorage::default()
    }

    /// Every entry, for tests that compare whole states.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.map.borrow().clone()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.map.borrow().len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.map.borrow().is_empty()
    }
}

impl Storage for MemoryStorage {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.map.borrow().get(key).cloned())
    }

    async fn list(
        &self,
        prefix: &str,
        start: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        let map = self.map.borrow();
        let from = match start {
            Some(s) if s > prefix => s,
            _ => prefix,
        };
        Ok(map
            .range::<str, _>((std::ops::Bound::Included(from), std::ops::Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix))
            .take(limit.unwrap_or(usize::MAX))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    async fn write(&self, batch: Batch) -> Result<()> {
        // Nothing here can fail half-way, so applying in order is atomic.
        let mut map = self.map.borrow_mut();
        for (key, value) in batch {
            match value {
                Some(v) => map.insert(key, v),
                None => map.remove(&key),
            };
        }
        Ok(())
    }
}
