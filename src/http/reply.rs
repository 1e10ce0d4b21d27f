//! Building responses: form or JSON encoding, content types, error replies.

use super::json_out::Object;
use super::route::Route;
use super::HttpResponse;
use crate::body::Body;
use crate::error::Error;

/// Content type of form replies and of raw blobs. No `charset`: the encoding is
/// ASCII by construction (everything else is percent-escaped).
pub const FORM: &str = "application/x-www-form-urlencoded";
/// Content type of JSON replies (UTF-8 by definition, so no `charset` either).
pub const JSON: &str = "application/json";

/// Codes only the HTTP layer gives (the core's are [`Error::CODES`]).
pub const UNAUTHORIZED: &str = "unauthorized";
pub const FORBIDDEN: &str = "forbidden";
pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
pub const UNSUPPORTED_MEDIA_TYPE: &str = "unsupported_media_type";
/// All of them, for bindings that publish the list.
pub const CODES: [&str; 4] = [UNAUTHORIZED, FORBIDDEN, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE];

/// How a reply is encoded, chosen by the request's `Accept`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    /// Go's wire format, the default.
    Form,
    /// When `Accept` mentions `application/json` (q-values are not weighed: a
    /// client that names JSON at all can read it).
    Json,
}

impl Format {
    pub(super) fn of(accept: Option<&str>) -> Format {
        match accept {
            Some(a) if a.to_ascii_lowercase().contains(JSON) => Format::Json,
            _ => Format::Form,
        }
    }
}

/// Adds the headers every reply carries, refusals and operation replies alike.
pub(super) fn finish(mut response: HttpResponse) -> HttpResponse {
    // Replies are per-request state (leases, listings): no cache may keep them.
    response.headers.push(("Cache-Control".into(), "no-store".into()));
    // A stored blob is user text: stop browsers from sniffing it into HTML.
    response.headers.push(("X-Content-Type-Options".into(), "nosniff".into()));
    response
}

/// A reply with a body of `content_type`.
pub(super) fn with_body(status: u16, content_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse { status, headers: vec![("Content-Type".into(), content_type.into())], body }
}

/// 200 with form fields, encoded as Go's `url.Values.Encode` (keys sorted).
pub(super) fn form(fields: &Body) -> HttpResponse {
    with_body(200, FORM, fields.encode().into_bytes())
}

/// 200 with JSON text.
pub(super) fn json(text: String) -> HttpResponse {
    with_body(200, JSON, text.into_bytes())
}

/// The value of a one-field reply.
pub(super) enum Value<'a> {
    Bool(bool),
    Count(u64),
    Text(&'a str),
}

/// 200 with one named value: `name=value` (Go's layout) or `{"name": value}`.
pub(super) fn one(format: Format, name: &str, value: Value<'_>) -> HttpResponse {
    match format {
        Format::Form => {
            let text = match value {
                Value::Bool(b) => if b { "true" } else { "false" }.to_owned(),
                Value::Count(n) => n.to_string(),
                Value::Text(t) => t.to_owned(),
            };
            form(&[(name, text)].into_iter().collect())
        }
        Format::Json => {
            let mut obj = Object::new();
            match value {
                Value::Bool(b) => obj.bool(name, b),
                Value::Count(n) => obj.int(name, n),
                Value::Text(t) => obj.str(name, t),
            };
            json(obj.finish())
        }
    }
}

/// 204: nothing to send, and so no content type.
pub(super) fn no_content() -> HttpResponse {
    HttpResponse { status: 204, headers: Vec::new(), body: Vec::new() }
}

/// `error=<message>&code=<code>` (in that order, the Go layout plus a code), or
/// `{"error": …, "code": …}`.
pub(super) fn failure(format: Format, status: u16, code: &str, message: &str) -> HttpResponse {
    match format {
        Format::Form => {
            let error: Body = [("error", message)].into_iter().collect();
            let code: Body = [("code", code)].into_iter().collect();
            let text = format!("{}&{}", error.encode(), code.encode());
            with_body(status, FORM, text.into_bytes())
        }
        Format::Json => {
            let text = Object::new().str("error", message).str("code", code).finish();
            with_body(status, JSON, text.into_bytes())
        }
    }
}

/// A core error: 400 when the client is at fault, 500 otherwise. The message is
/// the error's `Display` text, which is written for people and never holds
/// `Debug` output or stored bytes.
pub(super) fn error(format: Format, err: &Error) -> HttpResponse {
    let status = if err.is_client_error() { 400 } else { 500 };
    failure(format, status, err.code(), &err.to_string())
}

/// 401, with the challenge RFC 6750 asks for.
pub(super) fn unauthorized(format: Format) -> HttpResponse {
    let mut reply =
        failure(format, 401, UNAUTHORIZED, "unauthorized: send the header \"Authorization: Bearer <token>\"");
    reply.headers.push(("WWW-Authenticate".into(), "Bearer".into()));
    reply
}

/// 404 for a path no (enabled) route ends with.
pub(super) fn no_route(format: Format, path: &str) -> HttpResponse {
    failure(format, 404, Error::NotFound.code(), &format!("not found: no route for {path:?}"))
}

/// 405, with the `Allow` header RFC 9110 requires (the Go original sent none).
pub(super) fn method_not_allowed(format: Format, route: Route, method: &str) -> HttpResponse {
    let allow = route.allow_header();
    let message = format!("method {method:?} not allowed here; use {allow}");
    let mut reply = failure(format, 405, METHOD_NOT_ALLOWED, &message);
    reply.headers.push(("Allow".into(), allow));
    reply
}

/// 415 for a body in a media type this API does not read.
pub(super) fn unsupported_media_type(format: Format, media_type: &str) -> HttpResponse {
    let message = format!("unsupported content type {media_type:?}: send {FORM} or {JSON}");
    failure(format, 415, UNSUPPORTED_MEDIA_TYPE, &message)
}
