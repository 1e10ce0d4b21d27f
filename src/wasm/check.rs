//! `checkRequest`: the HTTP layer's checks without a server, for a host that
//! must route a request before any server sees it (the Worker picks a mailbox's
//! Durable Object). Its refusals are `handle`'s replies, and the fields it
//! routes by are read exactly as the chosen server will read them again.

use super::reply::reply_row;
use crate::http::{check, HttpOptions, HttpRequest, Route};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

/// Either a reply to send as is (`[status, [name, value, …], Uint8Array]`, as
/// `WasmServer::handle` gives) or `{ route, receiver, lid, mid }`: the route's
/// name and the first value of each field (undefined when absent). Throws a
/// `bad_request` for unusable `signingKeys`. `now` (ms) checks token expiry.
#[wasm_bindgen(js_name = checkRequest)]
#[allow(clippy::too_many_arguments)]
pub fn check_request(
    method: String,
    path: String,
    query: String,
    content_type: Option<String>,
    accept: Option<String>,
    authorization: Option<String>,
    body: Vec<u8>,
    admin: bool,
    token: Option<String>,
    signing_keys: JsValue,
    now: f64,
) -> Result<JsValue, JsValue> {
    let request = HttpRequest { method, path, query, content_type, accept, authorization, body };
    let signing_keys = super::token::signing_keys(Some(signing_keys).filter(|v| !v.is_undefined() && !v.is_null()))?;
    let options = HttpOptions { admin, token, signing_keys, ..HttpOptions::default() };
    let checked = match check(&options, now as i64, &request) {
        Ok(checked) => checked,
        Err(refusal) => return Ok(reply_row(refusal)),
    };
    let routed = Object::new();
    let set = |name: &str, value: JsValue| {
        // Setting a data property on a plain object cannot fail.
        let _ = Reflect::set(&routed, &name.into(), &value);
    };
    set("route", route_name(checked.route).into());
    for name in ["receiver", "lid", "mid"] {
        set(name, checked.fields.get(name).map(JsValue::from).unwrap_or(JsValue::UNDEFINED));
    }
    Ok(routed.into())
}

/// The route's name in the package's JS vocabulary (the `Server` method names).
fn route_name(route: Route) -> &'static str {
    match route {
        Route::Send => "send",
        Route::Fetch => "fetch",
        Route::Ack => "ack",
        Route::Headers => "headers",
        Route::FetchBlob => "fetchBlob",
        Route::Reenqueue => "reenqueue",
    }
}
