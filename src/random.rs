//! Randomness is injected: the core draws bytes from a source the host provides.

use crate::error::Result;

/// A source of random bytes. Lock ids take 128 bits from it, so production sources
/// must be cryptographically secure (`crypto.getRandomValues` in JS hosts).
pub trait Random {
    /// Fills `buf` with random bytes, or fails (then the operation fails, changing nothing).
    fn fill(&mut self, buf: &mut [u8]) -> Result<()>;
}

impl<F: FnMut(&mut [u8])> Random for F {
    fn fill(&mut self, buf: &mut [u8]) -> Result<()> {
        self(buf);
        Ok(())
    }
}

/// A deterministic generator (SplitMix64) for tests and simulations.
/// Not secure: never use it to issue real lock ids.
#[derive(Clone, Debug)]
pub struct SeededRandom(u64);

impl SeededRandom {
    /// A generator whose output is fixed by `seed`.
    pub fn new(seed: u64) -> SeededRandom {
        SeededRandom(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Random for SeededRandom {
    fn fill(&mut self, buf: &mut [u8]) -> Result<()> {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}
