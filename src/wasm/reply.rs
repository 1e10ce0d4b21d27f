//! An `HttpResponse` as JS receives it: `[status, [name, value, …], Uint8Array]`.
//! One shape for `WasmServer::handle` and `checkRequest`, so the package turns
//! both into a `Response` with one helper.

use crate::http::{host_reply, HostReply, HttpResponse};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsValue;

pub fn reply_row(response: HttpResponse) -> JsValue {
    let headers = Array::new();
    for (name, value) in response.headers {
        headers.push(&name.into());
        headers.push(&value.into());
    }
    let body = Uint8Array::from(response.body.as_slice());
    Array::of3(&response.status.into(), &headers, &body).into()
}

/// `countReply`: the summed count of a reenqueue over many servers, as one server replies.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = countReply)]
pub fn count_reply(accept: Option<String>, count: f64) -> JsValue {
    reply_row(host_reply(accept.as_deref(), HostReply::Count(count.max(0.0) as u64)))
}

/// `internalReply`: a host's own failure, as the API's `internal` error (500).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = internalReply)]
pub fn internal_reply(accept: Option<String>, why: String) -> JsValue {
    reply_row(host_reply(accept.as_deref(), HostReply::Internal(why)))
}
