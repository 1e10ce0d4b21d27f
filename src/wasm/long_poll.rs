//! What a long poll needs from the core: the checked `wait` of a call, and
//! whether an HTTP request is a fetch that may wait (and for which mailbox).
//! The waiting itself is the host's (`pkg/src/long-poll.js`): the core never
//! sleeps and never reads a clock.

use super::error::to_js;
use super::request::from_parts;
use super::server::WasmServer;
use super::value;
use crate::config::check_wait;
use crate::duration::parse_duration_or_millis;
use crate::error::Result;
use crate::http::{check, Route};
use js_sys::Array;
use wasm_bindgen::prelude::*;

/// A `wait` option (ms or a Go duration, 0 … 20 s; nullish: 0) in ms.
#[wasm_bindgen(js_name = waitOf)]
pub fn wait_of(wait: JsValue) -> std::result::Result<f64, JsValue> {
    let checked = (|| -> Result<i64> {
        let ms = value::duration(wait, "wait")?.unwrap_or(0);
        check_wait(ms)?;
        Ok(ms)
    })();
    checked.map(|ms| ms as f64).map_err(|e| to_js(e, None))
}

#[wasm_bindgen]
impl WasmServer {
    /// `[receiver, wait]` when `parts` is a fetch this server would serve that
    /// asks to wait (`wait` > 0, valid), else `null`: the reply `handle` gives
    /// is then final (including its refusals).
    #[wasm_bindgen(js_name = pollOf)]
    pub fn poll_of(&self, now: f64, parts: JsValue) -> std::result::Result<JsValue, JsValue> {
        let request = from_parts(&parts).map_err(|e| to_js(e, None))?;
        let Ok(checked) = check(&self.inner.http, now as i64, &request) else { return Ok(JsValue::NULL) };
        if checked.route != Route::Fetch {
            return Ok(JsValue::NULL);
        }
        let (Some(receiver), Some(wait)) = (checked.fields.get("receiver"), checked.fields.get("wait")) else {
            return Ok(JsValue::NULL);
        };
        match parse_duration_or_millis(wait) {
            Ok(ms) if ms > 0 && check_wait(ms).is_ok() => Ok(Array::of2(&receiver.into(), &(ms as f64).into()).into()),
            _ => Ok(JsValue::NULL),
        }
    }
}
