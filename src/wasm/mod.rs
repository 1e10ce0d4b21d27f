//! JS bindings (wasm-bindgen): the only module that touches JS types.
//!
//! They stay thin on purpose: values cross the boundary as flat arrays and
//! numbers, and the package's JS layer (`pkg/src/server.js`) shapes them into
//! objects, so the fast path is one call per operation.

mod check;
mod alloc;
mod error;
mod js_storage;
mod random;
mod reply;
mod server;
mod settle;
mod storage;
mod token;

use wasm_bindgen::prelude::*;

/// Parses a Go duration (`"1h30m"`) or plain milliseconds (`"1500"`) into ms.
#[wasm_bindgen(js_name = parseDuration)]
pub fn parse_duration(text: &str) -> Result<f64, JsValue> {
    crate::duration::parse_duration_or_millis(text)
        .map(|ms| ms as f64)
        .map_err(|e| error::to_js(e, None))
}

/// Parses an RFC 3339 time into ms since the Unix epoch.
#[wasm_bindgen(js_name = parseTime)]
pub fn parse_time(text: &str) -> Result<f64, JsValue> {
    crate::time::parse_rfc3339(text).map(|ms| ms as f64).map_err(|e| error::to_js(e, None))
}
