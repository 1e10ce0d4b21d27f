//! JS argument values into core values: the one place a duration, a time, a
//! count or a string option is read, for options and per-call arguments alike.
//! A nullish number, duration or time is "not given"; a string or boolean
//! option must be a string or boolean when present (`null` is refused: a
//! dropped `token` would leave the HTTP API open).

use crate::duration::parse_duration_or_millis;
use crate::error::{Error, Result};
use crate::time::parse_rfc3339;
use js_sys::{Date, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `options[name]`, or `None` when absent or `undefined`.
pub fn field(options: &JsValue, name: &str) -> Option<JsValue> {
    if !options.is_object() {
        return None;
    }
    Reflect::get(options, &name.into()).ok().filter(|v| !v.is_undefined())
}

fn present(value: JsValue) -> Option<JsValue> {
    (!value.is_undefined()).then_some(value)
}

fn given(value: JsValue) -> Option<JsValue> {
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

/// Milliseconds (a finite number) or a Go duration string (`"1h30m"`, or `"1500"` as ms).
pub fn duration(value: JsValue, name: &str) -> Result<Option<i64>> {
    let Some(value) = given(value) else { return Ok(None) };
    if let Some(n) = value.as_f64() {
        if !n.is_finite() {
            return Err(Error::InvalidDuration(format!("{name} must be a finite number of ms")));
        }
        return Ok(Some(n as i64));
    }
    match value.as_string() {
        Some(text) => parse_duration_or_millis(&text).map(Some),
        None => Err(Error::InvalidDuration(format!("{name} must be ms or a Go duration string such as \"5m\""))),
    }
}

/// Milliseconds since the epoch, a `Date` or an RFC 3339 string.
pub fn time(value: JsValue, name: &str) -> Result<Option<i64>> {
    let Some(value) = given(value) else { return Ok(None) };
    let ms = if let Some(date) = value.dyn_ref::<Date>() {
        date.get_time()
    } else if let Some(text) = value.as_string() {
        return parse_rfc3339(&text).map(Some);
    } else {
        value.as_f64().unwrap_or(f64::NAN)
    };
    if ms.is_finite() {
        Ok(Some(ms as i64))
    } else {
        Err(Error::InvalidTime(format!("{name} must be ms, a Date or an RFC 3339 string")))
    }
}

/// A finite number.
pub fn number(value: JsValue, name: &str) -> Result<Option<f64>> {
    let Some(value) = given(value) else { return Ok(None) };
    match value.as_f64() {
        Some(n) if n.is_finite() => Ok(Some(n)),
        _ => Err(Error::BadRequest(format!("option {name} must be a number"))),
    }
}

/// A string; a mistyped security option fails loudly instead of falling back.
pub fn string(value: JsValue, name: &str) -> Result<Option<String>> {
    let Some(value) = present(value) else { return Ok(None) };
    value.as_string().map(Some).ok_or_else(|| Error::BadRequest(format!("{name} must be a string")))
}

/// A boolean: `"off"` is truthy, so anything else would switch a flag on by mistake.
pub fn boolean(value: JsValue, name: &str) -> Result<Option<bool>> {
    let Some(value) = present(value) else { return Ok(None) };
    value.as_bool().map(Some).ok_or_else(|| Error::BadRequest(format!("{name} must be a boolean")))
}

/// A function, when given.
pub fn function(value: JsValue, what: &str) -> Result<Option<js_sys::Function>> {
    let Some(value) = present(value) else { return Ok(None) };
    value.dyn_into().map(Some).map_err(|_| Error::BadRequest(what.into()))
}

/// A whole count from `min` to `max` when given (`out_of_range` otherwise):
/// batch sizes, page limits, `maxDeliveries`.
pub fn count(value: JsValue, name: &str, min: usize, max: usize) -> Result<Option<usize>> {
    let Some(value) = given(value) else { return Ok(None) };
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && n >= min as f64 && n <= max as f64 => Ok(Some(n as usize)),
        _ => Err(Error::OutOfRange(format!("{name} must be a whole number from {min} to {max}"))),
    }
}

/// `value` as an error message shows it: a string quoted, anything else by its
/// JS type (never the binding's debug form).
pub fn shown(value: &JsValue) -> String {
    match value.as_string() {
        Some(text) => format!("{text:?}"),
        None => value.js_typeof().as_string().unwrap_or_default(),
    }
}

/// Refuses the names of `options` that are not in `known`: a misspelt option
/// would otherwise be silently ignored.
pub fn known_fields(options: &JsValue, what: &str, known: &[&str]) -> Result<()> {
    if !options.is_object() {
        return Err(Error::BadRequest(format!("{what} must be an object")));
    }
    for name in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let name = name.as_string().unwrap_or_default();
        if !known.contains(&name.as_str()) {
            return Err(Error::BadRequest(format!("{what} has no option {name:?} (known: {})", known.join(", "))));
        }
    }
    Ok(())
}
