//! What one write may hold, on a store that caps its atomic writes.

/// The caps of one [`Storage::write`](super::Storage::write) on a store that has
/// them (Deno KV: 1,000 mutations, 80 KiB of keys and 800 KiB in all per atomic
/// commit). Sizes are counted as the store counts them: each key as its length
/// plus `key_overhead`, each value as its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteLimit {
    /// Keys (puts and deletes) in one write.
    pub keys: usize,
    /// The keys' sizes added up.
    pub key_bytes: usize,
    /// The keys' and the values' sizes added up.
    pub bytes: usize,
    /// What the store adds to each key's length when it counts it.
    pub key_overhead: usize,
}

impl WriteLimit {
    /// No cap at all.
    pub const NONE: WriteLimit =
        WriteLimit { keys: usize::MAX, key_bytes: usize::MAX, bytes: usize::MAX, key_overhead: 0 };

    /// What `rows` weigh against this limit: (keys, key bytes, bytes).
    pub fn weigh(&self, rows: &[(String, Option<Vec<u8>>)]) -> Weight {
        rows.iter().fold(Weight::default(), |w, (key, value)| {
            let key = key.len() + self.key_overhead;
            Weight {
                keys: w.keys + 1,
                key_bytes: w.key_bytes + key,
                bytes: w.bytes + key + value.as_ref().map_or(0, Vec::len),
            }
        })
    }

    /// True when a write weighing `w` is within every cap.
    pub fn holds(&self, w: Weight) -> bool {
        w.keys <= self.keys && w.key_bytes <= self.key_bytes && w.bytes <= self.bytes
    }
}

/// What some rows weigh: see [`WriteLimit::weigh`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Weight {
    pub keys: usize,
    pub key_bytes: usize,
    pub bytes: usize,
}

impl std::ops::Add for Weight {
    type Output = Weight;
    fn add(self, o: Weight) -> Weight {
        Weight { keys: self.keys + o.keys, key_bytes: self.key_bytes + o.key_bytes, bytes: self.bytes + o.bytes }
    }
}
