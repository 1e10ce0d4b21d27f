//! The built-in store: a `BTreeMap` inside the process (or the wasm instance).

use super::{Batch, Storage};
use crate::error::Result;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::Bound;

/// An in-memory ordered store. Fastest, and gone with the process.
///
/// Keys and values are kept as boxed slices: no spare capacity is stored with
/// each of the millions of entries a deep queue has, and an empty index value
/// costs no allocation at all.
#[derive(Debug, Default)]
pub struct MemoryStorage {
    map: RefCell<BTreeMap<Box<str>, Box<[u8]>>>,
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> MemoryStorage {
        MemoryStorage::default()
    }

    /// Every entry, for tests that compare whole states.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.map.borrow().iter().map(|(k, v)| (k.to_string(), v.to_vec())).collect()
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
        Ok(self.map.borrow().get(key).map(|v| v.to_vec()))
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
            .range::<str, _>((Bound::Included(from), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix))
            .take(limit.unwrap_or(usize::MAX))
            .map(|(k, v)| (k.to_string(), v.to_vec()))
            .collect())
    }

    async fn write(&self, batch: Batch) -> Result<()> {
        // Nothing here can fail half-way, so applying in order is atomic.
        let mut map = self.map.borrow_mut();
        for (key, value) in batch {
            match value {
                Some(v) => map.insert(key.into_boxed_str(), v.into_boxed_slice()),
                None => map.remove(key.as_str()),
            };
        }
        Ok(())
    }
}
