//! `WasmServer`: the core `Server` for the package's JS `Server` class, which wraps it.
//! Every option and argument is checked here, by the core's own parsers; the JS
//! class passes values through untouched (it keeps only the clock and `exclusive`).

use super::error::to_js;
use super::js_storage::JsStorage;
use super::random::JsRandom;
use super::reply::reply_row;
use super::row::message_row;
use super::settle::settle;
use super::storage::AnyStorage;
use super::value;
use crate::body::Body;
use crate::config::{Config, RetryBackoff};
use crate::error::{Error, Result};
use crate::http::{check_headers_limit, HttpOptions, MAX_HEADERS_LIMIT};
use crate::key::Key;
use crate::message::Ack;
use crate::server::list::{Cursor, Listing};
use crate::server::{SendRequest, Server};
use js_sys::Array;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

type Core = Server<AnyStorage, JsRandom>;

pub(super) struct Inner {
    pub(super) core: Core,
    pub(super) http: HttpOptions,
}

/// A queue on the built-in store or on JS storage callbacks.
#[wasm_bindgen]
pub struct WasmServer {
    pub(super) inner: Rc<Inner>,
}

impl Inner {
    /// Converts a core error. A storage failure carries the callback's own error
    /// as `cause`: the JS store records it with every failure it reports, and it
    /// is taken here in the same poll the failure surfaced in (operations are
    /// serialised by the core), so no later error can carry it.
    pub(super) fn error(&self, error: Error) -> JsValue {
        let cause = match (&error, self.core.storage()) {
            (Error::Storage(_), AnyStorage::Js(js)) => js.take_failure(),
            _ => None,
        };
        to_js(error, cause)
    }
}

/// Every option `new Server(options)` reads, the JS layer's own among them:
/// a misspelt one is refused, never silently left at its default.
const SERVER_OPTIONS: &[&str] = &[
    "storage",
    "clock",
    "random",
    "timers",
    "maxSize",
    "defaultLease",
    "maxDelay",
    "dedupeWindow",
    "lidPrefix",
    "maxDeliveries",
    "retryBackoff",
    "retention",
    "admin",
    "token",
    "signingKeys",
    "headersPage",
];

fn config_of(options: &JsValue) -> Result<(Config, HttpOptions)> {
    if !options.is_undefined() && !options.is_null() {
        value::known_fields(options, "Server options", SERVER_OPTIONS)?;
    }
    let field = |name| value::field(options, name).unwrap_or(JsValue::UNDEFINED);
    let mut config = Config::default();
    if let Some(n) = value::number(field("maxSize"), "maxSize")? {
        config.max_size = n.max(0.0) as usize;
    }
    if let Some(ms) = value::duration(field("defaultLease"), "defaultLease")? {
        config.default_lease = ms;
    }
    if let Some(ms) = value::duration(field("maxDelay"), "maxDelay")? {
        config.max_delay = ms;
    }
    if let Some(ms) = value::duration(field("dedupeWindow"), "dedupeWindow")? {
        config.dedupe_window = ms;
    }
    if let Some(prefix) = value::string(field("lidPrefix"), "lidPrefix")? {
        config.lid_prefix = prefix;
    }
    if let Some(n) = value::number(field("maxDeliveries"), "maxDeliveries")? {
        // 0 is the default, "unlimited"; anything else must be a whole count.
        if n < 0.0 || n.fract() != 0.0 || n > u32::MAX as f64 {
            return Err(Error::BadRequest("maxDeliveries must be a whole number of deliveries (0: unlimited)".into()));
        }
        config.max_deliveries = n as u32;
    }
    config.retry_backoff = retry_backoff(field("retryBackoff"), config.max_delay)?;
    if let Some(ms) = value::duration(field("retention"), "retention")? {
        config.retention = ms;
    }
    let defaults = HttpOptions::default();
    let headers_page = value::number(field("headersPage"), "headersPage")?;
    let http = HttpOptions {
        admin: value::boolean(field("admin"), "admin")?.unwrap_or(defaults.admin),
        token: match value::string(field("token"), "token")? {
            // It would match no request: every one refused, with nothing to say why.
            Some(token) if token.is_empty() => {
                return Err(Error::BadRequest("token must not be empty (leave it out for an open API)".into()))
            }
            token => token,
        },
        signing_keys: super::token::signing_keys(field("signingKeys"))?,
        headers_page: headers_page.map_or(defaults.headers_page, |n| (n as usize).clamp(1, MAX_HEADERS_LIMIT)),
    };
    Ok((config, http))
}

/// `{ initial, max, factor }`: `initial` required, `max` defaults to
/// `maxDelay`, `factor` to 2; the core checks the ranges.
fn retry_backoff(options: JsValue, max_delay: i64) -> Result<Option<RetryBackoff>> {
    if options.is_undefined() || options.is_null() {
        return Ok(None);
    }
    value::known_fields(&options, "retryBackoff", &["initial", "max", "factor"])?;
    let field = |name| value::field(&options, name).unwrap_or(JsValue::UNDEFINED);
    let initial = value::duration(field("initial"), "retryBackoff.initial")?
        .ok_or_else(|| Error::BadRequest("retryBackoff needs initial (ms or a Go duration)".into()))?;
    let max = value::duration(field("max"), "retryBackoff.max")?.unwrap_or(max_delay);
    let factor = value::number(field("factor"), "retryBackoff.factor")?.unwrap_or(2.0);
    Ok(Some(RetryBackoff { initial, max, factor }))
}

/// The optional timing of one send: `delay`, `clientTime` and `ttl`, each as
/// JS gave it (`send` as arguments, a `sendBatch` item as fields).
pub(super) struct Timing {
    pub delay: JsValue,
    pub client_time: JsValue,
    pub ttl: JsValue,
}

/// One send's arguments, as `send` and each `sendBatch` item give them: the
/// mailboxes, the flat `[name, value, …]` fields (`None`: a nil body) and its timing.
pub(super) fn send_request(
    sender: String,
    receiver: String,
    fields: Option<Vec<String>>,
    timing: Timing,
) -> Result<SendRequest> {
    let mut body = Body::new();
    let mut it = fields.ok_or(Error::NilBody)?.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        body.append(k, v);
    }
    let delay = value::duration(timing.delay, "delay")?.unwrap_or(0);
    let client_time = value::time(timing.client_time, "clientTime")?;
    let ttl = value::duration(timing.ttl, "ttl")?.unwrap_or(0);
    Ok(SendRequest { sender, receiver, delay, client_time, body, ttl })
}

/// A listing page's arguments, as `fetchHeaders` takes them:
/// the cursor (received after `after`, then after `after_mid`) and the limit
/// (default: the largest page).
fn page_args(after: JsValue, after_mid: Option<String>, limit: JsValue) -> Result<(Cursor, usize)> {
    let limit = match limit.as_f64() {
        None if limit.is_undefined() || limit.is_null() => MAX_HEADERS_LIMIT,
        n => check_headers_limit(n.unwrap_or(f64::NAN))?,
    };
    let mid = after_mid.as_deref().map(Key::parse).transpose()?;
    let received_at = value::time(after, "after")?.unwrap_or(i64::MIN);
    Ok((Cursor { received_at, mid }, limit))
}

/// A listing's `status` option: absent (`undefined` or `null`) or one of its names.
fn listing_of(status: &JsValue) -> Result<Listing> {
    if status.is_undefined() || status.is_null() {
        return Ok(Listing::Pending);
    }
    match status.as_string() {
        Some(name) => Listing::parse(Some(&name)),
        None => Err(Error::BadRequest(format!("status must be a string, got {}", value::shown(status)))),
    }
}

#[wasm_bindgen]
impl WasmServer {
    /// Options: `storage`, `random`, `maxSize`, `defaultLease`, `maxDelay`,
    /// `dedupeWindow` (ms or Go durations), `lidPrefix`, `maxDeliveries`,
    /// `retryBackoff`, `retention`, `admin`, `token`, `signingKeys`, `headersPage`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> std::result::Result<WasmServer, JsValue> {
        let bad = |why: String| to_js(Error::BadRequest(why), None);
        let storage = match value::field(&options, "storage").filter(|s| !s.is_null()) {
            Some(s) => AnyStorage::Js(JsStorage::new(s).map_err(bad)?),
            None => AnyStorage::Memory(Default::default()),
        };
        let random = value::function(
            value::field(&options, "random").unwrap_or(JsValue::UNDEFINED),
            "random must be a function filling a Uint8Array",
        )
        .map_err(|e| to_js(e, None))?;
        let random = JsRandom::new(random.map(JsValue::from).unwrap_or(JsValue::UNDEFINED)).map_err(bad)?;
        let (config, http) = config_of(&options).map_err(|e| to_js(e, None))?;
        let core = Server::new(storage, random, config).map_err(|e| to_js(e, None))?;
        Ok(WasmServer { inner: Rc::new(Inner { core, http }) })
    }

    /// `[mid, duplicate]`, or a `Pending` of it (as for every method here).
    /// `fields` is a flat `[name, value, …]` list; `null` is a nil body;
    /// `delay`, `clientTime` and `ttl` are optional. They come as arguments,
    /// not as an object, so a send reads no field by name (a lookup and a JS
    /// string made per name).
    #[allow(clippy::too_many_arguments)] // the binding's arguments are the call's
    pub fn send(
        &self,
        now: f64,
        sender: String,
        receiver: String,
        fields: Option<Vec<String>>,
        delay: JsValue,
        client_time: JsValue,
        ttl: JsValue,
    ) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        let req = send_request(sender, receiver, fields, Timing { delay, client_time, ttl });
        settle(async move {
            let req = req.map_err(|e| to_js(e, None))?;
            let receipt = inner.core.send(now as i64, req).await.map_err(|e| inner.error(e))?;
            Ok(Array::of2(&receipt.mid.to_hex().into(), &receipt.duplicate.into()).into())
        })
    }

    /// A message row (see `row.rs`) or `null`.
    #[wasm_bindgen(js_name = fetchLatest)]
    pub fn fetch_latest(&self, now: f64, receiver: String, lease: JsValue) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        let lease = value::duration(lease, "lease");
        settle(async move {
            let lease = lease.map_err(|e| to_js(e, None))?;
            let found = inner.core.fetch_latest(now as i64, &receiver, lease).await;
            Ok(found.map_err(|e| inner.error(e))?.map(message_row).unwrap_or(JsValue::NULL))
        })
    }

    /// `status` is `confirmed`/`rejected`/`1`/`2`; `retryDelay` (ms or Go) applies to rejects.
    pub fn ack(
        &self,
        now: f64,
        mid: String,
        lid: String,
        status: String,
        retry_delay: JsValue,
    ) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        let parsed = (|| {
            let retry_delay = value::duration(retry_delay, "retryDelay")?.unwrap_or(0);
            let ack = match Ack::parse(&status)? {
                Ack::Rejected { .. } => Ack::Rejected { retry_delay },
                confirmed => confirmed,
            };
            Ok((Key::parse(&mid)?, ack))
        })();
        settle(async move {
            let (mid, ack) = parsed.map_err(|e: Error| to_js(e, None))?;
            inner.core.ack(now as i64, &mid, &lid, ack).await.map_err(|e| inner.error(e))?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// An array of message rows (no lid, no body) of the listing `status`
    /// names (absent: pending); `limit` defaults to the largest page.
    #[wasm_bindgen(js_name = fetchHeaders)]
    pub fn fetch_headers(
        &self,
        now: f64,
        receiver: String,
        after: JsValue,
        after_mid: Option<String>,
        limit: JsValue,
        status: JsValue,
    ) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        let parsed = page_args(after, after_mid, limit).and_then(|page| Ok((listing_of(&status)?, page)));
        settle(async move {
            let (listing, (cursor, limit)) = parsed.map_err(|e: Error| to_js(e, None))?;
            let rows = inner.core.fetch_listing(now as i64, &receiver, listing, cursor, limit).await;
            Ok(rows.map_err(|e| inner.error(e))?.into_iter().map(message_row).collect::<Array>().into())
        })
    }

    /// The stored form-encoded body, or `null`.
    #[wasm_bindgen(js_name = fetchBlob)]
    pub fn fetch_blob(&self, mid: String) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        settle(async move {
            let mid = Key::parse(&mid).map_err(|e| to_js(e, None))?;
            match inner.core.fetch_blob(&mid).await.map_err(|e| inner.error(e))? {
                Some(data) => Ok(String::from_utf8_lossy(&data).into_owned().into()),
                None => Ok(JsValue::NULL),
            }
        })
    }

    /// The receiver of message `mid`, or `null` when no record of it is left
    /// or `mid` is not a mid: which mailbox's lock an operation naming only
    /// a mid needs. A mid's receiver never changes, so it may be read before
    /// the lock is taken.
    #[wasm_bindgen(js_name = mailboxOf)]
    pub fn mailbox_of(&self, mid: String) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        settle(async move {
            let Ok(mid) = Key::parse(&mid) else { return Ok(JsValue::NULL) };
            Ok(inner.core.mailbox_of(&mid).await.map_err(|e| inner.error(e))?.map_or(JsValue::NULL, JsValue::from))
        })
    }

    /// One step of the stats warm-up, at most `rows` index rows (see
    /// `Server::warm_stats`): true when every mailbox is mirrored.
    #[wasm_bindgen(js_name = warmStats)]
    pub fn warm_stats(&self, rows: f64) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        settle(async move {
            let done = inner.core.warm_stats(rows as usize).await.map_err(|e| inner.error(e))?;
            Ok(done.into())
        })
    }

    /// The number of expired leases released.
    pub fn reenqueue(&self, now: f64) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        settle(async move {
            let n = inner.core.reenqueue(now as i64).await.map_err(|e| inner.error(e))?;
            Ok((n as f64).into())
        })
    }

    /// Serves the HTTP API: the request parts (see `request.rs`) in,
    /// `[status, [name, value, …], Uint8Array]` out.
    pub fn handle(&self, now: f64, request: JsValue) -> std::result::Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        let request = super::request::from_parts(&request).map_err(|e| to_js(e, None))?;
        settle(async move {
            let response = crate::http::handle(&inner.core, now as i64, &inner.http, &request).await;
            // A failure there became a 500 reply; its cause must not reach a later error.
            if let AnyStorage::Js(js) = inner.core.storage() {
                js.take_failure();
            }
            Ok(reply_row(response))
        })
    }
}

/// Only for tests of the package's trap guard: executes `unreachable`, a trap like any panic in release.
#[wasm_bindgen(js_name = __trapForTests)]
pub fn trap_for_tests() {
    core::arch::wasm32::unreachable()
}
