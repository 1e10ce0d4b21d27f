//! Scoped tokens for JS: `mintToken`, and the `signingKeys` option read once
//! for `WasmServer` and `checkRequest` alike.

use super::error::to_js;
use crate::error::Error;
use crate::token::{self, Claims, Ops, SigningKeys};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

fn bad(why: String) -> JsValue {
    to_js(Error::BadRequest(why), None)
}

/// `{ [kid]: secret }` (secrets as strings, used as their UTF-8 bytes), or
/// nothing: no scoped tokens. Anything else is a `bad_request`, never "open".
pub fn signing_keys(value: Option<JsValue>) -> Result<SigningKeys, JsValue> {
    let mut keys = SigningKeys::new();
    let Some(value) = value else {
        return Ok(keys);
    };
    if !value.is_object() || Array::is_array(&value) {
        return Err(bad("signingKeys must be an object { [kid]: secret }".into()));
    }
    for entry in Object::entries(value.unchecked_ref::<Object>()) {
        let pair: Array = entry.unchecked_into();
        let kid = pair.get(0).as_string().unwrap_or_default();
        let Some(secret) = pair.get(1).as_string() else {
            return Err(bad(format!("signingKeys.{kid} must be a string")));
        };
        keys.insert(&kid, secret.as_bytes()).map_err(|e| to_js(e, None))?;
    }
    Ok(keys)
}

/// A token for `mailbox` (exact, or a prefix ending in `*`) allowing `ops`
/// (`send`, `consume`, `admin`) until `expires` (ms), signed with `secret` under `kid`.
#[wasm_bindgen(js_name = mintToken)]
pub fn mint_token(mailbox: String, ops: Vec<String>, expires: f64, kid: String, secret: String) -> Result<String, JsValue> {
    if !expires.is_finite() {
        return Err(to_js(Error::OutOfRange("expires must be a time in ms".into()), None));
    }
    let ops = Ops::parse(ops.iter().map(String::as_str)).map_err(|e| to_js(e, None))?;
    let claims = Claims { mailbox, ops, expires: expires as i64 };
    token::mint(&claims, &kid, secret.as_bytes()).map_err(|e| to_js(e, None))
}
