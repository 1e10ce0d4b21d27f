//! Core errors as JS `Error`s with a stable `.code`, keeping a JS cause.

use crate::error::Error;
use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// A JS `Error` named `PandoraError` with `.code`, and `.cause` when the failure
/// came from a JS callback (a storage rejection), so callers can see the original.
pub fn to_js(error: Error, cause: Option<JsValue>) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("PandoraError");
    let _ = Reflect::set(&js, &"code".into(), &error.code().into());
    if let Some(cause) = cause {
        let _ = Reflect::set(&js, &"cause".into(), &cause);
    }
    js.into()
}
