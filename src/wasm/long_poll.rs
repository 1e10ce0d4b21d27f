//! What a long poll needs from the core: the checked `wait` of a call, and
//! for an HTTP request whether it is a fetch that may wait (for which
//! mailbox) and which waiters it may wake.
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

/// The mailboxes a successful request of `route` may have made a message due
/// in: `Some(vec![receiver])`, `Some(vec![])` for "any" (an ack names no
/// mailbox), `None` when it cannot wake a waiter (fetches, listings, confirms).
fn wakes(route: &str, fields: &crate::body::Body) -> Option<Vec<String>> {
    let receiver = fields.get("receiver").map(|r| vec![r.to_string()]);
    match route {
        "send" | "redrive" => receiver,
        "ack" if !matches!(fields.get("statusCode").map(str::trim), Some("1" | "confirmed")) => Some(vec![]),
        "sendBatch" | "ackBatch" => Some(vec![]),
        _ => None,
    }
}

#[wasm_bindgen]
impl WasmServer {
    /// What the host does around `handle` for `parts`: `[receiver, wait, wakes]`.
    /// `wait` (ms) > 0 when it is a fetch this server would serve that asks to
    /// wait for `receiver`; `wakes`, for a request that may make a message due
    /// once it succeeded, the mailboxes (`[]`: any) whose waiters to wake, else
    /// `null`. A request `handle` refuses gets `null` for all three.
    #[wasm_bindgen(js_name = planOf)]
    pub fn plan_of(&self, now: f64, parts: JsValue) -> std::result::Result<JsValue, JsValue> {
        let request = from_parts(&parts).map_err(|e| to_js(e, None))?;
        let Ok(checked) = check(&self.inner.http, now as i64, &request) else { return Ok(JsValue::NULL) };
        let receiver = checked.fields.get("receiver");
        let wait = match (checked.route, receiver, checked.fields.get("wait")) {
            (Route::Fetch, Some(_), Some(wait)) => {
                parse_duration_or_millis(wait).ok().filter(|&ms| check_wait(ms).is_ok()).unwrap_or(0)
            }
            _ => 0,
        };
        let wakes = match wakes(checked.route.name(), &checked.fields) {
            Some(list) => list.into_iter().map(JsValue::from).collect::<Array>().into(),
            None => JsValue::NULL,
        };
        let receiver = receiver.map(JsValue::from).unwrap_or(JsValue::NULL);
        Ok(Array::of3(&receiver, &(wait as f64).into(), &wakes).into())
    }
}
