//! `checkRequest`: the HTTP layer's checks without a server, for a host that
//! must route a request before any server sees it (the Worker picks a mailbox's
//! Durable Object). Its refusals are `handle`'s replies, and the fields it
//! routes by are read exactly as the chosen server will read them again.

use super::error::to_js;
use super::reply::reply_row;
use super::request::from_parts;
use super::value;
use crate::error::Result;
use crate::http::{check, HttpOptions};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

fn options_of(options: &JsValue) -> Result<HttpOptions> {
    let field = |name| value::field(options, name).unwrap_or(JsValue::UNDEFINED);
    let defaults = HttpOptions::default();
    Ok(HttpOptions {
        admin: value::boolean(field("admin"), "admin")?.unwrap_or(defaults.admin),
        token: value::string(field("token"), "token")?,
        signing_keys: super::token::signing_keys(field("signingKeys"))?,
        ..defaults
    })
}

/// Either a reply to send as is (`[status, [name, value, …], Uint8Array]`, as
/// `WasmServer::handle` gives) or `{ route, receiver, lid, mid }`: the route's
/// name (`Route::name`) and the first value of each field (undefined when absent).
/// `now` (ms, from the host's clock) is what a scoped token's expiry is checked against.
#[wasm_bindgen(js_name = checkRequest)]
pub fn check_request(parts: JsValue, options: JsValue, now: f64) -> std::result::Result<JsValue, JsValue> {
    let request = from_parts(&parts).map_err(|e| to_js(e, None))?;
    let options = options_of(&options).map_err(|e| to_js(e, None))?;
    let checked = match check(&options, now as i64, &request) {
        Ok(checked) => checked,
        Err(refusal) => return Ok(reply_row(refusal)),
    };
    let routed = Object::new();
    let set = |name: &str, value: JsValue| {
        // Setting a data property on a plain object cannot fail.
        let _ = Reflect::set(&routed, &name.into(), &value);
    };
    set("route", checked.route.name().into());
    for name in ["receiver", "lid", "mid"] {
        set(name, checked.fields.get(name).map(JsValue::from).unwrap_or(JsValue::UNDEFINED));
    }
    Ok(routed.into())
}
