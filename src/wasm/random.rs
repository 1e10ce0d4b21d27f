//! Random bytes from the host: a JS callback, or `crypto.getRandomValues`.

use crate::random::Random;
use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// Calls `fill(Uint8Array)`; the default is the Web Crypto CSPRNG every target has.
pub struct JsRandom {
    this: JsValue,
    fill: Function,
}

impl JsRandom {
    /// Uses `random` if it is a function, else `globalThis.crypto.getRandomValues`.
    pub fn new(random: JsValue) -> Result<JsRandom, String> {
        if let Some(f) = random.dyn_ref::<Function>() {
            return Ok(JsRandom { this: JsValue::UNDEFINED, fill: f.clone() });
        }
        let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).unwrap_or(JsValue::UNDEFINED);
        let fill = Reflect::get(&crypto, &"getRandomValues".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or("no crypto.getRandomValues in this runtime: pass a `random` option")?;
        Ok(JsRandom { this: crypto, fill })
    }
}

impl Random for JsRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        let array = Uint8Array::new_with_length(buf.len() as u32);
        // A throwing source must not yield predictable ids: fail loudly instead.
        self.fill.call1(&self.this, &array).expect("the random source threw");
        array.copy_to(buf);
    }
}
