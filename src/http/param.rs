//! Reading typed parameters out of request fields, with the error each one earns.
//!
//! A single-value lookup takes the first value, as Go's `FormValue` does. An
//! optional parameter sent empty (`delay=`, as a blank HTML form input sends it)
//! counts as not sent; a non-empty invalid one is a 400, never silently replaced
//! (the Go original turned a bad `delay` into 0 and a bad `clientTime` into now).

use crate::body::Body;
use crate::duration::parse_duration_or_millis;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::time::parse_rfc3339;

/// The first non-empty value of `name`.
pub(super) fn optional<'a>(fields: &'a Body, name: &str) -> Option<&'a str> {
    fields.get(name).filter(|v| !v.is_empty())
}

/// A mailbox name. Missing is `invalid_mailbox` here; empty or too long is left
/// to the core, which owns those limits and says which one was broken.
pub(super) fn mailbox<'a>(fields: &'a Body, name: &str) -> Result<&'a str> {
    fields.get(name).ok_or_else(|| Error::InvalidMailbox(format!("{name} is missing")))
}

/// A 40-hex-digit mid; missing or malformed is `invalid_key`.
pub(super) fn key(fields: &Body, name: &str) -> Result<Key> {
    match fields.get(name) {
        Some(text) => Key::parse(text).map_err(|e| named(name, e)),
        None => Err(Error::InvalidKey(format!("{name} is missing"))),
    }
}

/// An optional 40-hex-digit mid.
pub(super) fn optional_key(fields: &Body, name: &str) -> Result<Option<Key>> {
    optional(fields, name).map(|text| Key::parse(text).map_err(|e| named(name, e))).transpose()
}

/// An optional duration in ms: a Go duration (`"1m30s"`) or whole milliseconds
/// (`1500`, as a JSON number or in-process), the one rule every entry point uses.
pub(super) fn duration(fields: &Body, name: &str) -> Result<Option<i64>> {
    optional(fields, name).map(|text| parse_duration_or_millis(text).map_err(|e| named(name, e))).transpose()
}

/// An optional whole count from 1 to `max` (`out_of_range` otherwise).
pub(super) fn count(fields: &Body, name: &str, max: usize) -> Result<Option<usize>> {
    let Some(text) = optional(fields, name) else {
        return Ok(None);
    };
    match text.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
        _ => Err(Error::OutOfRange(format!("{name} must be a whole number from 1 to {max}, got {text:?}"))),
    }
}

/// An optional RFC 3339 time, in ms since the epoch.
pub(super) fn time(fields: &Body, name: &str) -> Result<Option<i64>> {
    optional(fields, name).map(|text| parse_rfc3339(text).map_err(|e| named(name, e))).transpose()
}

/// Prefixes an error's detail with the parameter it came from, so a reply says
/// which field to fix (`invalid duration: delay: "5x": …`).
fn named(name: &str, err: Error) -> Error {
    match err {
        Error::InvalidDuration(why) => Error::InvalidDuration(format!("{name}: {why}")),
        Error::InvalidTime(why) => Error::InvalidTime(format!("{name}: {why}")),
        Error::InvalidKey(why) => Error::InvalidKey(format!("{name}: {why}")),
        other => other,
    }
}
