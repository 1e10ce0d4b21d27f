//! An HTTP request as JS hands it over: `{ method, path, query, contentType,
//! accept, authorization, body }` (pkg/src/http.js builds it), read by name so
//! `handle` and `checkRequest` take one shape.

use crate::error::{Error, Result};
use crate::http::HttpRequest;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

fn text(parts: &JsValue, name: &str) -> Option<String> {
    Reflect::get(parts, &name.into()).ok().and_then(|v| v.as_string())
}

/// The request, or `bad_request` when the host built the parts wrongly.
pub fn from_parts(parts: &JsValue) -> Result<HttpRequest> {
    let required =
        |name: &str| text(parts, name).ok_or_else(|| Error::BadRequest(format!("request {name} must be a string")));
    let body = Reflect::get(parts, &"body".into()).ok().and_then(|b| b.dyn_into::<Uint8Array>().ok());
    Ok(HttpRequest {
        method: required("method")?,
        path: required("path")?,
        query: text(parts, "query").unwrap_or_default(),
        content_type: text(parts, "contentType"),
        accept: text(parts, "accept"),
        authorization: text(parts, "authorization"),
        body: body.map(|b| b.to_vec()).unwrap_or_default(),
    })
}
