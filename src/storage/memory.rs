//! The built-in store: an ordered map inside the process (or the wasm instance).

use super::blocks::Blocks;
use super::{Batch, Storage};
use crate::error::Result;
use std::cell::RefCell;

/// An in-memory ordered store. Fastest, and gone with the process.
///
/// Entries are packed into blocks of a few KiB ([`Blocks`]), so a deep queue
/// pays little beyond its keys and values for each of its millions of rows.
///
/// It does not declare itself [`Storage::sole_writer`], though one store
/// belongs to one `Server`: a mirror of its index rows would cost about 75
/// bytes per queued message, while `stats` walking the rows in place
/// ([`Storage::scan`]) counts a mailbox of 100k messages in about 9 ms.
#[derive(Debug, Default)]
pub struct MemoryStorage {
    blocks: RefCell<Blocks>,
}

/// Keys go in as `&str`, so the bytes that come back are UTF-8.
fn text(key: &[u8]) -> &str {
    core::str::from_utf8(key).unwrap_or_default()
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> MemoryStorage {
        MemoryStorage::default()
    }

    /// Every entry, for tests that compare whole states.
    pub fn snapshot(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        let mut all = std::collections::BTreeMap::new();
        self.blocks.borrow().walk(b"", |k, v| {
            all.insert(text(k).to_owned(), v.to_vec());
            true
        });
        all
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.blocks.borrow().len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Storage for MemoryStorage {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.blocks.borrow().get(key.as_bytes()).map(<[u8]>::to_vec))
    }

    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        let from = match start {
            Some(s) if s > prefix => s,
            _ => prefix,
        };
        let limit = limit.unwrap_or(usize::MAX);
        let mut out = Vec::new();
        self.blocks.borrow().walk(from.as_bytes(), |k, v| {
            if out.len() >= limit || !k.starts_with(prefix.as_bytes()) {
                return false;
            }
            out.push((text(k).to_owned(), v.to_vec()));
            true
        });
        Ok(out)
    }

    async fn scan(&self, prefix: &str, f: &mut dyn FnMut(&str, &[u8]) -> Result<()>) -> Result<()> {
        let mut outcome = Ok(());
        self.blocks.borrow().walk(prefix.as_bytes(), |k, v| {
            if !k.starts_with(prefix.as_bytes()) {
                return false;
            }
            outcome = f(text(k), v);
            outcome.is_ok()
        });
        outcome
    }

    fn holds_nothing(&self) -> Option<bool> {
        Some(self.is_empty())
    }

    async fn write(&self, batch: Batch) -> Result<()> {
        // Nothing here can fail half-way, so applying in order is atomic.
        let mut blocks = self.blocks.borrow_mut();
        for (key, value) in batch {
            match value {
                Some(v) => blocks.put(key.as_bytes(), &v),
                None => blocks.delete(key.as_bytes()),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_alone_and_values_come_back() {
        let store = MemoryStorage::new();
        futures_executor::block_on(async {
            let batch = vec![
                ("a/b".to_string(), Some(b"1".to_vec())),
                ("a".to_string(), Some(b"zz".to_vec())),
                ("a/".to_string(), Some(Vec::new())),
                ("a/b".to_string(), Some(b"2".to_vec())),
            ];
            store.write(batch).await.unwrap();
            assert_eq!(store.get("a/b").await.unwrap(), Some(b"2".to_vec()));
            assert_eq!(store.get("a/c").await.unwrap(), None);
            let listed = store.list("a/", None, None).await.unwrap();
            assert_eq!(listed, [("a/".to_string(), vec![]), ("a/b".to_string(), b"2".to_vec())]);
            store.write(vec![("a".to_string(), None)]).await.unwrap();
            assert_eq!(store.len(), 2);
        });
    }
}
