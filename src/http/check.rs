//! Everything before the operation: authentication, route, method, body
//! encoding, fields, a scoped token's scope. It needs no storage (the clock
//! reading `now` is the caller's), so a host can run it
//! on its own to learn which operation a request names and with which fields
//! (the Worker picks a mailbox's Durable Object this way) and send the refusal
//! as is: it is the very reply [`handle`](super::handle) would give.

use super::auth::{self, Access};
use super::reply::{self, Format};
use super::{form, route_of, send_batch, HttpOptions, HttpRequest, HttpResponse, Route};
use crate::body::Body;

/// A request that passed every check: what the operation runs on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The operation the path names (allowed by the options and the method).
    pub route: Route,
    /// Body fields, then query fields, as the operation reads them. For a
    /// batch route ([`Route::takes_items`]) the query fields only.
    pub fields: Body,
    /// The items of a batch route's JSON array body, in order, each read as
    /// one JSON object body is (at most `MAX_BATCH`); empty for other routes.
    pub items: Vec<Body>,
    /// How the operation's reply is encoded (from `Accept`).
    pub(super) format: Format,
    /// What the request's credential allows.
    pub(super) access: Access,
}

/// The [`Checked`] request, or the refusal to send, standard headers included.
/// The first failing step decides the refusal, in [`handle`](super::handle)'s order.
/// `now` (ms since the Unix epoch) is what a scoped token's expiry is checked against.
pub fn check(options: &HttpOptions, now: i64, request: &HttpRequest) -> Result<Checked, HttpResponse> {
    checked(options, now, request).map_err(reply::finish)
}

fn checked(options: &HttpOptions, now: i64, request: &HttpRequest) -> Result<Checked, HttpResponse> {
    let format = Format::of(request.accept.as_deref());
    let access =
        auth::authenticate(options, now, request.authorization.as_deref()).map_err(|()| reply::unauthorized(format))?;
    let route = match route_of(&request.path) {
        Some(route) if options.admin || !route.is_admin() => route,
        _ => return Err(reply::no_route(format, &request.path)),
    };
    if !route.allows(&request.method) {
        return Err(reply::method_not_allowed(format, route, &request.method));
    }
    let encoding = if form::reads_body(request) {
        form::encoding(request.content_type.as_deref())
            .map_err(|media_type| reply::unsupported_media_type(format, &media_type))?
    } else {
        form::Encoding::Form
    };
    let (fields, items) = if route.takes_items() {
        (form::query_fields(request), form::items(request))
    } else {
        (form::fields(request, encoding), Ok(Vec::new()))
    };
    let (fields, items) = fields.and_then(|f| Ok((f, items?))).map_err(|err| reply::error(format, &err))?;
    if route == Route::SendBatch {
        send_batch::requests_of(&items).map_err(|err| reply::error(format, &err))?;
    }
    auth::permit(&access, route, &fields, &items, format)?;
    Ok(Checked { route, fields, items, format, access })
}
