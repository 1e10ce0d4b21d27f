//! Random bytes from the host: a JS callback, or `crypto.getRandomValues`.

use crate::error::{Error, Result};
use crate::random::Random;
use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// Bytes fetched per call into JS. A call costs far more than the bytes (it was a
/// fifth of a send's time when made per lid), so draws come from a refilled pool.
const POOL: usize = 4096;

/// Calls `fill(Uint8Array)`; the default is the Web Crypto CSPRNG every target has.
pub struct JsRandom {
    this: JsValue,
    fill: Function,
    pool: Vec<u8>,
    used: usize,
}

impl JsRandom {
    /// Uses `random` if it is a function, else `globalThis.crypto.getRandomValues`.
    pub fn new(random: JsValue) -> Result<JsRandom, String> {
        let (this, fill) = match random.dyn_ref::<Function>() {
            Some(f) => (JsValue::UNDEFINED, f.clone()),
            None => {
                let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).unwrap_or(JsValue::UNDEFINED);
                let fill = Reflect::get(&crypto, &"getRandomValues".into())
                    .ok()
                    .and_then(|f| f.dyn_into::<Function>().ok())
                    .ok_or("no crypto.getRandomValues in this runtime: pass a `random` option")?;
                (crypto, fill)
            }
        };
        Ok(JsRandom { this, fill, pool: vec![0; POOL], used: POOL })
    }

    fn refill(&mut self) -> Result<()> {
        let array = Uint8Array::new_with_length(POOL as u32);
        // A throwing source must not yield predictable ids: the operation fails instead.
        self.fill.call1(&self.this, &array).map_err(|e| {
            let why = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()));
            Error::Internal(format!("the random source threw: {}", why.unwrap_or_default()))
        })?;
        array.copy_to(&mut self.pool);
        self.used = 0;
        Ok(())
    }
}

impl Random for JsRandom {
    fn fill(&mut self, buf: &mut [u8]) -> Result<()> {
        for chunk in buf.chunks_mut(POOL) {
            if POOL - self.used < chunk.len() {
                self.refill()?;
            }
            chunk.copy_from_slice(&self.pool[self.used..self.used + chunk.len()]);
            // Spent bytes are wiped so a later memory dump cannot replay past lids.
            self.pool[self.used..self.used + chunk.len()].fill(0);
            self.used += chunk.len();
        }
        Ok(())
    }
}
