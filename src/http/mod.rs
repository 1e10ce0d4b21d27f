//! The Go-compatible HTTP API, as a pure function from request to response.
//!
//! Hosts (the Worker, the JS package, tests) turn their own request type into an
//! [`HttpRequest`] and write back the [`HttpResponse`]; nothing here does I/O or
//! reads a clock (`now` is an argument), so every behaviour is tested natively
//! and is the same in every host. The wire format follows the Go original
//! (README, "Differences from the Go original"), without its bugs.
//!
//! Order of checks: authentication, route, method, body encoding, fields, the
//! scope of a scoped token (all in [`check`], which needs no storage), the scope
//! against the mailbox of a stored message (`auth::permit_stored`), then the
//! operation. Each step's failure touches no state.

mod ack;
mod ack_batch;
mod auth;
mod call;
mod cancel;
mod check;
mod extend;
mod fetch;
mod fetch_blob;
mod form;
mod headers;
mod json_in;
mod json_out;
mod param;
mod peek;
mod purge;
mod redrive;
mod reenqueue;
mod reply;
mod route;
mod send;
mod send_batch;
mod stats;

pub use check::{check, Checked};
pub use headers::{check_limit_number as check_headers_limit, MAX_LIMIT as MAX_HEADERS_LIMIT};
pub use reply::{CODES as HTTP_CODES, FORM as FORM_CONTENT_TYPE, JSON as JSON_CONTENT_TYPE};
pub use route::{route_of, Route};

use crate::random::Random;
use crate::server::Server;
use crate::storage::Storage;
use crate::token::SigningKeys;

/// What the API needs of an HTTP request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `POST`, … (case-sensitive, as HTTP methods are).
    pub method: String,
    /// The raw URL path, e.g. `/foo/bar/send`.
    pub path: String,
    /// The raw query string, without the `?` (a leading one is tolerated).
    pub query: String,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `Accept` header: JSON replies when it names `application/json`.
    pub accept: Option<String>,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// The request body.
    pub body: Vec<u8>,
}

/// The reply for the host to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// How a deployment exposes the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpOptions {
    /// Serve the `admin/…` routes (default false: they answer 404, as if absent).
    pub admin: bool,
    /// Require `Authorization: Bearer <token>` on every request (`None`: open).
    /// This token has full access.
    pub token: Option<String>,
    /// Keys whose scoped tokens ([`crate::token`]) are accepted, by kid. With
    /// keys and no `token`, every request needs a scoped token.
    pub signing_keys: SigningKeys,
    /// Headers per `admin/headers` page when the request gives no `limit`
    /// (default 10, as Go; used within 1 ..= [`MAX_HEADERS_LIMIT`]).
    pub headers_page: usize,
}

impl Default for HttpOptions {
    fn default() -> HttpOptions {
        HttpOptions { admin: false, token: None, signing_keys: SigningKeys::new(), headers_page: 10 }
    }
}

/// A reply a host writes without a server, in the API's own shape (format by
/// `accept`, the standard headers): the summed count of a reenqueue over many
/// servers, or its own failure as `internal` (500).
pub enum HostReply {
    Count(u64),
    Internal(String),
}

/// The [`HostReply`] for a request with this `Accept` header.
pub fn host_reply(accept: Option<&str>, what: HostReply) -> HttpResponse {
    let format = reply::Format::of(accept);
    reply::finish(match what {
        HostReply::Count(n) => reenqueue::count_reply(format, n),
        HostReply::Internal(why) => reply::error(format, &crate::error::Error::Internal(why)),
    })
}

/// Answers one request against `server` at time `now` (ms since the Unix epoch).
/// Never panics on any input; every failure is a reply.
pub async fn handle<S: Storage, R: Random>(
    server: &Server<S, R>,
    now: i64,
    options: &HttpOptions,
    request: &HttpRequest,
) -> HttpResponse {
    match check(options, now, request) {
        Ok(checked) => match auth::permit_stored(server, &checked).await {
            Ok(()) => reply::finish(operate(server, now, options, &checked).await),
            Err(refusal) => reply::finish(refusal),
        },
        // Already finished: `check` adds the standard headers to its refusals.
        Err(refusal) => refusal,
    }
}

/// Runs the operation of a checked request.
async fn operate<S: Storage, R: Random>(
    server: &Server<S, R>,
    now: i64,
    options: &HttpOptions,
    checked: &Checked,
) -> HttpResponse {
    let call = &call::Call { server, now, fields: &checked.fields, format: checked.format };
    let result = match checked.route {
        Route::Send => send::send(call).await,
        Route::Fetch => fetch::fetch(call).await,
        Route::Ack => ack::ack(call).await,
        Route::Headers => headers::headers(call, options.headers_page).await,
        Route::FetchBlob => fetch_blob::fetch_blob(call).await,
        Route::Reenqueue => reenqueue::reenqueue(call).await,
        Route::Extend => extend::extend(call).await,
        Route::Cancel => cancel::cancel(call).await,
        Route::Peek => peek::peek(call).await,
        Route::Stats => stats::stats(call).await,
        Route::Redrive => redrive::redrive(call).await,
        Route::Purge => purge::purge(call).await,
        Route::SendBatch => send_batch::send_batch(server, now, &checked.items).await,
        Route::AckBatch => ack_batch::ack_batch(server, now, &checked.items, &checked.access).await,
    };
    result.unwrap_or_else(|err| reply::error(checked.format, &err))
}
