//! `sendBatch`, `fetchBatch` and `ackBatch` on `WasmServer`: many items, one
//! core call, one storage write. Items come as JS objects the package built;
//! each is converted by the same rules as its single-item method.

use super::error::to_js;
use super::row::message_row;
use super::server::{send_request, Timing, WasmServer};
use super::settle::settle;
use super::value;
use crate::config::MAX_BATCH;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::message::{Ack, AckRequest};
use js_sys::Array;
use wasm_bindgen::prelude::*;

fn slot(item: &JsValue, name: &str) -> JsValue {
    value::field(item, name).unwrap_or(JsValue::UNDEFINED)
}

fn text(item: &JsValue, name: &str) -> String {
    slot(item, name).as_string().unwrap_or_default()
}

/// The items of a batch call: a JS array of at most `MAX_BATCH` entries.
fn items(items: &JsValue, what: &str) -> Result<Array> {
    let array: Array = items.clone().dyn_into().map_err(|_| Error::BadRequest(format!("{what} takes an array")))?;
    if array.length() as usize > MAX_BATCH {
        return Err(Error::BadRequest(format!("at most {MAX_BATCH} {what} items per batch, got {}", array.length())));
    }
    Ok(array)
}

/// One ack item: `{ mid, lid, status, retryDelay }`.
fn ack_request(item: &JsValue) -> Result<AckRequest> {
    let status = slot(item, "status");
    // A numeric status reads as JS's String(n), as `ack` receives it; JS formats it.
    let status = match status.as_f64() {
        Some(_) => js_sys::Number::from(status).to_string_with_radix(10).map(String::from).unwrap_or_default(),
        None => status.as_string().unwrap_or_default(),
    };
    let retry_delay = value::duration(slot(item, "retryDelay"), "retryDelay")?.unwrap_or(0);
    let ack = match Ack::parse(&status)? {
        Ack::Rejected { .. } => Ack::Rejected { retry_delay },
        confirmed => confirmed,
    };
    Ok(AckRequest { mid: Key::parse(&text(item, "mid"))?, lid: text(item, "lid"), ack })
}

#[wasm_bindgen]
impl WasmServer {
    /// `[[mid, duplicate]…]` in input order. Items are
    /// `{ sender, receiver, fields, delay, clientTime, ttl }` (`fields` flat, `null`: nil body);
    /// a bad item refuses the call with its index.
    #[wasm_bindgen(js_name = sendBatch)]
    pub fn send_batch(&self, now: f64, list: JsValue) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        let reqs = items(&list, "sendBatch").and_then(|array| {
            array
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let fields = slot(&item, "fields");
                    let fields = if fields.is_null() || fields.is_undefined() {
                        None
                    } else {
                        Some(Array::from(&fields).iter().map(|v| v.as_string().unwrap_or_default()).collect())
                    };
                    let sender = text(&item, "sender");
                    let receiver = text(&item, "receiver");
                    let timing = Timing {
                        delay: slot(&item, "delay"),
                        client_time: slot(&item, "clientTime"),
                        ttl: slot(&item, "ttl"),
                    };
                    send_request(sender, receiver, fields, timing)
                        .map_err(|e| Error::BatchItem { index, error: Box::new(e) })
                })
                .collect::<Result<Vec<_>>>()
        });
        settle(async move {
            let reqs = reqs.map_err(|e| to_js(e, None))?;
            let receipts = inner.core.send_batch(now as i64, reqs).await.map_err(|e| inner.error(e))?;
            let out: Array =
                receipts.into_iter().map(|r| Array::of2(&r.mid.to_hex().into(), &r.duplicate.into())).collect();
            Ok(out.into())
        })
    }

    /// Up to `max` (1 … 100) message rows, earliest due first; `[]` when none is due.
    #[wasm_bindgen(js_name = fetchBatch)]
    pub fn fetch_batch(
        &self,
        now: f64,
        receiver: String,
        max: JsValue,
        lease: JsValue,
    ) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        let parsed = (|| {
            let max = value::count(max, "max", 1, MAX_BATCH)?.unwrap_or(1);
            Ok((max, value::duration(lease, "lease")?))
        })();
        settle(async move {
            let (max, lease) = parsed.map_err(|e: Error| to_js(e, None))?;
            let rows = inner.core.fetch_batch(now as i64, &receiver, max, lease).await.map_err(|e| inner.error(e))?;
            Ok(rows.into_iter().map(message_row).collect::<Array>().into())
        })
    }

    /// Per item, in input order: `null` when that ack succeeded, else `[code, message]`.
    /// Items are `{ mid, lid, status, retryDelay }`, each independent.
    #[wasm_bindgen(js_name = ackBatch)]
    pub fn ack_batch(&self, now: f64, list: JsValue) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        // Items whose own arguments are wrong fail alone, as they would in `ack`.
        let parsed =
            items(&list, "ackBatch").map(|array| array.iter().map(|item| ack_request(&item)).collect::<Vec<_>>());
        settle(async move {
            let parsed = parsed.map_err(|e| to_js(e, None))?;
            let valid: Vec<AckRequest> = parsed.iter().filter_map(|p| p.as_ref().ok().cloned()).collect();
            let mut results = inner.core.ack_batch(now as i64, valid).await.map_err(|e| inner.error(e))?.into_iter();
            let failure = |e: &Error| JsValue::from(Array::of2(&e.code().into(), &e.to_string().into()));
            let out: Array = parsed
                .iter()
                .map(|p| match p {
                    Err(e) => failure(e),
                    Ok(_) => match results.next() {
                        Some(Ok(())) => JsValue::NULL,
                        Some(Err(e)) => failure(&e),
                        None => failure(&Error::Internal("ack batch result missing".into())),
                    },
                })
                .collect();
            Ok(out.into())
        })
    }
}
