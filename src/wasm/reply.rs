//! An `HttpResponse` as JS receives it: `[status, [name, value, …], Uint8Array]`.
//! One shape for `WasmServer::handle` and `checkRequest`, so the package turns
//! both into a `Response` with one helper.

use crate::http::HttpResponse;
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
