//! The built-in store: an ordered set inside the process (or the wasm instance).

use super::{Batch, Storage};
use crate::error::Result;
use std::borrow::Borrow;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::ops::Bound;

/// An in-memory ordered store. Fastest, and gone with the process.
///
/// It does not declare itself [`Storage::sole_writer`], though one store
/// belongs to one `Server`: a mirror of its index rows would cost about 75
/// bytes per queued message, while `stats` walking its tree in place
/// ([`Storage::scan`]) counts a mailbox of 100k messages in about 20 ms.
///
/// Each entry is one allocation holding its key and its value (a deep queue has
/// millions of entries, so a second allocation and a second pointer per entry
/// would cost more than most keys).
#[derive(Debug, Default)]
pub struct MemoryStorage {
    set: RefCell<BTreeSet<Entry>>,
}

/// `[key length: u16 LE][key][value]`, ordered by the key alone.
#[derive(Debug)]
struct Entry(Box<[u8]>);

impl Entry {
    fn new(key: &str, value: &[u8]) -> Entry {
        // Keys longer than u16 cannot occur: the core's longest is under 1 KiB.
        let len = u16::try_from(key.len()).expect("storage keys are shorter than 64 KiB");
        let mut bytes = Vec::with_capacity(2 + key.len() + value.len());
        bytes.extend_from_slice(&len.to_le_bytes());
        bytes.extend_from_slice(key.as_bytes());
        bytes.extend_from_slice(value);
        Entry(bytes.into_boxed_slice())
    }

    // Inlined: every comparison of a tree search runs it.
    #[inline(always)]
    fn split(&self) -> (&[u8], &[u8]) {
        let len = u16::from_le_bytes([self.0[0], self.0[1]]) as usize;
        self.0[2..].split_at(len)
    }

    #[inline(always)]
    fn key(&self) -> &[u8] {
        self.split().0
    }

    fn key_str(&self) -> String {
        // Only `&str` keys go in, so they come back as valid UTF-8.
        core::str::from_utf8(self.key()).unwrap_or_default().to_owned()
    }
}

// An entry is found by its key bytes, so a lookup builds no entry to compare
// with: the order of `[u8]` is the order of `Entry::cmp`.
impl Borrow<[u8]> for Entry {
    fn borrow(&self) -> &[u8] {
        self.key()
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Entry) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    #[inline]
    fn cmp(&self, other: &Entry) -> Ordering {
        self.key().cmp(other.key())
    }
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> MemoryStorage {
        MemoryStorage::default()
    }

    /// Every entry, for tests that compare whole states.
    pub fn snapshot(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        self.set.borrow().iter().map(|e| (e.key_str(), e.split().1.to_vec())).collect()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.set.borrow().len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.set.borrow().is_empty()
    }
}

impl Storage for MemoryStorage {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.set.borrow().get(key.as_bytes()).map(|e| e.split().1.to_vec()))
    }

    async fn list(
        &self,
        prefix: &str,
        start: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        let set = self.set.borrow();
        let from = match start {
            Some(s) if s > prefix => s,
            _ => prefix,
        };
        Ok(set
            .range::<[u8], _>((Bound::Included(from.as_bytes()), Bound::Unbounded))
            .take_while(|e| e.key().starts_with(prefix.as_bytes()))
            .take(limit.unwrap_or(usize::MAX))
            .map(|e| (e.key_str(), e.split().1.to_vec()))
            .collect())
    }

    async fn scan(&self, prefix: &str, f: &mut dyn FnMut(&str, &[u8]) -> Result<()>) -> Result<()> {
        let set = self.set.borrow();
        let entries = set.range::<[u8], _>((Bound::Included(prefix.as_bytes()), Bound::Unbounded));
        for e in entries.take_while(|e| e.key().starts_with(prefix.as_bytes())) {
            let (key, value) = e.split();
            // Only `&str` keys go in, so the bytes are UTF-8.
            f(core::str::from_utf8(key).unwrap_or_default(), value)?;
        }
        Ok(())
    }

    fn holds_nothing(&self) -> Option<bool> {
        Some(self.is_empty())
    }

    async fn write(&self, batch: Batch) -> Result<()> {
        // Nothing here can fail half-way, so applying in order is atomic.
        let mut set = self.set.borrow_mut();
        for (key, value) in batch {
            match value {
                Some(v) => set.replace(Entry::new(&key, &v)),
                None => set.take(key.as_bytes()),
            };
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
