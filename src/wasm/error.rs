//! Core errors as the package's own `PandoraError`, built here so JS never
//! rebuilds them: `.code`, the message, and `.cause` when a JS callback failed.

use crate::error::Error;
use js_sys::{Array, Function, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    // The class `pkg/src/error.js` registers at load time (before any operation).
    static CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the `PandoraError` class every error of this module is made of.
#[wasm_bindgen(js_name = useErrorClass)]
pub fn use_error_class(class: Function) {
    CLASS.with(|c| *c.borrow_mut() = Some(class));
}

/// `new PandoraError(code, message, { cause })`; a plain `Error` with `.code`
/// if no class was registered (the glue used without the package).
pub fn to_js(error: Error, cause: Option<JsValue>) -> JsValue {
    let message = error.to_string();
    let options = Object::new();
    if let Some(cause) = &cause {
        let _ = Reflect::set(&options, &"cause".into(), cause);
    }
    let class = CLASS.with(|c| c.borrow().clone());
    if let Some(class) = class {
        let args = Array::of3(&error.code().into(), &message.as_str().into(), &options);
        if let Ok(made) = Reflect::construct(&class, &args) {
            return made;
        }
    }
    let js = js_sys::Error::new(&message);
    js.set_name("PandoraError");
    let _ = Reflect::set(&js, &"code".into(), &error.code().into());
    if let Some(cause) = cause {
        let _ = Reflect::set(&js, &"cause".into(), &cause);
    }
    js.into()
}
