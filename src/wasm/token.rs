//! Scoped tokens for JS: `mintToken`, `tokenExpiry` (for the CLI's
//! `--expires`), and the `signingKeys` option, read the same way for
//! `WasmServer` and `checkRequest`.

use super::error::to_js;
use super::value;
use crate::error::{Error, Result};
use crate::token::{self, Claims, Ops, SigningKeys};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

/// `{ [kid]: secret }` (secrets as strings, used as their UTF-8 bytes), or
/// nothing (`undefined`/`null`): no scoped tokens. Anything else is a
/// `bad_request`, never "open"; no message holds a secret.
pub fn signing_keys(value: JsValue) -> Result<SigningKeys> {
    let mut keys = SigningKeys::new();
    if value.is_undefined() || value.is_null() {
        return Ok(keys);
    }
    if !value.is_object() || Array::is_array(&value) {
        return Err(Error::BadRequest("signingKeys must be an object { [kid]: secret }".into()));
    }
    for entry in Object::entries(value.unchecked_ref::<Object>()) {
        let pair: Array = entry.unchecked_into();
        let kid = pair.get(0).as_string().unwrap_or_default();
        let Some(secret) = pair.get(1).as_string() else {
            return Err(Error::BadRequest(format!("signingKeys.{kid} must be a string")));
        };
        keys.insert(&kid, secret.as_bytes())?;
    }
    Ok(keys)
}

fn claims_of(claims: &JsValue) -> Result<(Claims, String)> {
    let field = |name| value::field(claims, name).unwrap_or(JsValue::UNDEFINED);
    let mailbox = value::string(field("mailbox"), "mailbox")?
        .ok_or_else(|| Error::InvalidMailbox("mailbox is required: a name, or a prefix ending in *".into()))?;
    let ops = field("ops");
    let names: Option<Vec<String>> =
        Array::is_array(&ops).then(|| Array::from(&ops).iter().map(|op| op.as_string()).collect()).flatten();
    let names =
        names.ok_or_else(|| Error::BadRequest(r#"ops must be an array of "send", "consume", "admin""#.into()))?;
    let ops = Ops::parse(names.iter().map(String::as_str))?;
    let expires = value::time(field("expires"), "expires")?
        .ok_or_else(|| Error::OutOfRange("expires is required: a time in ms, a Date or RFC 3339".into()))?;
    let kid = value::string(field("kid"), "kid")?.ok_or_else(|| Error::BadRequest("kid is required".into()))?;
    Ok((Claims { mailbox, ops, expires }, kid))
}

/// `mintToken({ mailbox, ops, expires, kid }, secret)`: a token for `mailbox`
/// (exact, or a prefix ending in `*`) allowing `ops` (`send`, `consume`,
/// `admin`) until `expires` (ms, a Date or RFC 3339), signed with `secret` under `kid`.
#[wasm_bindgen(js_name = mintToken)]
pub fn mint_token(claims: JsValue, secret: JsValue) -> std::result::Result<String, JsValue> {
    let run = || {
        let (claims, kid) = claims_of(&claims)?;
        let secret = value::string(secret, "secret")?.ok_or_else(|| Error::BadRequest("secret is required".into()))?;
        token::mint(&claims, &kid, secret.as_bytes())
    };
    run().map_err(|e| to_js(e, None))
}

/// The expiry `text` names (`30d`, `12h`, RFC 3339), in ms, for a token minted at `now`.
#[wasm_bindgen(js_name = tokenExpiry)]
pub fn token_expiry(text: String, now: f64) -> std::result::Result<f64, JsValue> {
    token::expiry_of(&text, now as i64).map(|ms| ms as f64).map_err(|e| to_js(e, None))
}
