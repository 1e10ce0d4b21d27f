//! `tables()`: the core's vocabularies and limits as one JS object, so the
//! package derives its names from them and a test holds the typings and the
//! README to them (tests/js/tables.test.js). Nothing here is written twice.

use crate::config::{
    Config, MAX_BATCH, MAX_BATCH_BYTES, MAX_CHUNK, MAX_DELAY_LIMIT, MAX_LEASE, MAX_MAILBOX_LEN, MAX_WAIT, MIN_LEASE,
};
use crate::error::Error;
use crate::http::{HttpOptions, Route, HTTP_CODES, MAX_HEADERS_LIMIT};
use crate::message::Status;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let out = Object::new();
    for (name, value) in entries {
        let _ = Reflect::set(&out, &(*name).into(), value);
    }
    out.into()
}

fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> JsValue {
    items.into_iter().map(JsValue::from).collect::<Array>().into()
}

/// `{ statuses: { name: code }, errorCodes, httpErrorCodes, routes, messageRow, stampedFields, limits, defaults }`:
/// `defaults` has one entry per option the core reads from `new Server(options)` (`token`: none).
#[wasm_bindgen]
pub fn tables() -> JsValue {
    let statuses: Vec<(&str, JsValue)> = Status::ALL.iter().map(|s| (s.name(), s.code().into())).collect();
    let config = Config::default();
    let http = HttpOptions::default();
    object(&[
        ("statuses", object(&statuses)),
        ("errorCodes", strings(Error::CODES)),
        ("httpErrorCodes", strings(HTTP_CODES)),
        ("routes", strings(Route::ALL.iter().map(|r| r.name()))),
        ("messageRow", strings(super::row::FIELDS)),
        ("stampedFields", strings(crate::server::STAMPED_FIELDS.iter().copied())),
        (
            "limits",
            object(&[
                ("maxMailboxBytes", (MAX_MAILBOX_LEN as f64).into()),
                ("minLease", (MIN_LEASE as f64).into()),
                ("maxLease", (MAX_LEASE as f64).into()),
                ("maxDelayLimit", (MAX_DELAY_LIMIT as f64).into()),
                ("maxHeadersLimit", (MAX_HEADERS_LIMIT as f64).into()),
                ("maxBatch", (MAX_BATCH as f64).into()),
                ("maxBatchBytes", (MAX_BATCH_BYTES as f64).into()),
                ("maxChunk", (MAX_CHUNK as f64).into()),
                ("maxWait", (MAX_WAIT as f64).into()),
            ]),
        ),
        (
            "defaults",
            object(&[
                ("maxSize", (config.max_size as f64).into()),
                ("defaultLease", (config.default_lease as f64).into()),
                ("maxDelay", (config.max_delay as f64).into()),
                ("dedupeWindow", (config.dedupe_window as f64).into()),
                ("lidPrefix", config.lid_prefix.into()),
                ("maxDeliveries", config.max_deliveries.into()),
                ("retryBackoff", JsValue::NULL),
                ("retention", (config.retention as f64).into()),
                ("admin", http.admin.into()),
                ("token", JsValue::NULL),
                ("signingKeys", JsValue::NULL),
                ("headersPage", (http.headers_page as f64).into()),
            ]),
        ),
    ])
}
