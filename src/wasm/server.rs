//! `WasmServer`: the core `Server` for the package's JS `Server` class, which wraps it.

use super::error::to_js;
use super::js_storage::JsStorage;
use super::random::JsRandom;
use super::reply::reply_row;
use super::storage::AnyStorage;
use crate::body::Body;
use crate::config::Config;
use crate::error::Error;
use crate::http::{HttpOptions, HttpRequest};
use crate::key::Key;
use crate::message::{Ack, Message};
use crate::server::list::Cursor;
use crate::server::{SendRequest, Server};
use js_sys::{Array, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use super::settle::settle;

type Core = Server<AnyStorage, JsRandom>;

struct Inner {
    core: Core,
    http: HttpOptions,
}

/// A queue on the built-in store or on JS storage callbacks.
#[wasm_bindgen]
pub struct WasmServer {
    inner: Rc<Inner>,
}

fn option(options: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(options, &name.into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn number(options: &JsValue, name: &str) -> Result<Option<f64>, JsValue> {
    match option(options, name) {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(to_js(Error::BadRequest(format!("option {name} must be a number")), None)),
        },
    }
}

fn ms(n: f64) -> i64 {
    n as i64
}

impl Inner {
    /// Converts a core error, attaching the JS storage rejection as `cause`.
    fn error(&self, error: Error) -> JsValue {
        let cause = match (&error, self.core.storage()) {
            (Error::Storage(_), AnyStorage::Js(js)) => js.take_failure(),
            _ => None,
        };
        to_js(error, cause)
    }
}

/// `[mid, lid, statusCode, sender, receiver, receivedAt, sendWhen, leasedUntil,
/// deliveryCount, clientTime, leased, body]`, body a flat `[name, value, …]`
/// array or `null` when missing.
fn message_row(m: Message) -> JsValue {
    let row = Array::new_with_length(12);
    row.set(0, m.mid.to_hex().into());
    row.set(1, m.lid.map(JsValue::from).unwrap_or(JsValue::NULL));
    row.set(2, m.status.code().into());
    row.set(3, m.sender.into());
    row.set(4, m.receiver.into());
    row.set(5, (m.received_at as f64).into());
    row.set(6, (m.send_when as f64).into());
    row.set(7, (m.leased_until as f64).into());
    row.set(8, m.delivery_count.into());
    row.set(9, (m.client_time as f64).into());
    row.set(10, m.leased.into());
    row.set(
        11,
        match m.body {
            Some(body) => {
                let flat = Array::new();
                for (k, v) in body.fields() {
                    flat.push(&k.into());
                    flat.push(&v.into());
                }
                flat.into()
            }
            None => JsValue::NULL,
        },
    );
    row.into()
}

#[wasm_bindgen]
impl WasmServer {
    /// Options: `storage`, `random`, `maxSize`, `defaultLease`, `maxDelay`,
    /// `dedupeWindow` (ms numbers), `lidPrefix`, `admin`, `token`, `signingKeys`, `headersPage`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WasmServer, JsValue> {
        let bad = |why: String| to_js(Error::BadRequest(why), None);
        let storage = match option(&options, "storage") {
            Some(s) => AnyStorage::Js(JsStorage::new(s).map_err(bad)?),
            None => AnyStorage::Memory(Default::default()),
        };
        let random = JsRandom::new(option(&options, "random").unwrap_or(JsValue::UNDEFINED)).map_err(bad)?;
        let mut config = Config::default();
        if let Some(n) = number(&options, "maxSize")? {
            config.max_size = n.max(0.0) as usize;
        }
        if let Some(n) = number(&options, "defaultLease")? {
            config.default_lease = ms(n);
        }
        if let Some(n) = number(&options, "maxDelay")? {
            config.max_delay = ms(n);
        }
        if let Some(n) = number(&options, "dedupeWindow")? {
            config.dedupe_window = ms(n);
        }
        if let Some(p) = option(&options, "lidPrefix").and_then(|p| p.as_string()) {
            config.lid_prefix = p;
        }
        let headers_page = number(&options, "headersPage")?
            .map(|n| (n as usize).clamp(1, crate::http::MAX_HEADERS_LIMIT));
        let http = HttpOptions {
            admin: option(&options, "admin").map(|v| v.is_truthy()).unwrap_or(false),
            // An empty token matches no request (the HTTP layer fails closed), never "open".
            token: option(&options, "token").and_then(|v| v.as_string()),
            signing_keys: super::token::signing_keys(option(&options, "signingKeys"))?,
            headers_page: headers_page.unwrap_or(HttpOptions::default().headers_page),
        };
        let core = Server::new(storage, random, config).map_err(|e| to_js(e, None))?;
        Ok(WasmServer { inner: Rc::new(Inner { core, http }) })
    }

    /// `[mid, duplicate]` (or a Promise of it, as for every method here). `fields` is a flat `[name, value, …]` list.
    pub fn send(
        &self,
        now: f64,
        sender: String,
        receiver: String,
        delay: f64,
        client_time: Option<f64>,
        fields: Vec<String>,
    ) -> Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        settle(async move {
            let mut body = Body::new();
            let mut it = fields.into_iter();
            while let (Some(k), Some(v)) = (it.next(), it.next()) {
                body.append(k, v);
            }
            let req = SendRequest { sender, receiver, delay: ms(delay), client_time: client_time.map(ms), body };
            let receipt = inner.core.send(ms(now), req).await.map_err(|e| inner.error(e))?;
            Ok(Array::of2(&receipt.mid.to_hex().into(), &receipt.duplicate.into()).into())
        })
    }

    /// Resolves to a message row (see `message_row`) or `null`.
    #[wasm_bindgen(js_name = fetchLatest)]
    pub fn fetch_latest(&self, now: f64, receiver: String, lease: Option<f64>) -> Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        settle(async move {
            let found = inner.core.fetch_latest(ms(now), &receiver, lease.map(ms)).await;
            match found.map_err(|e| inner.error(e))? {
                Some(m) => Ok(message_row(m)),
                None => Ok(JsValue::NULL),
            }
        })
    }

    /// `status` is `confirmed`/`rejected`/`1`/`2`; `retryDelay` in ms applies to rejects.
    pub fn ack(&self, now: f64, mid: String, lid: String, status: String, retry_delay: f64) -> Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        settle(async move {
            let run = async {
                let mid = Key::parse(&mid)?;
                let ack = match Ack::parse(&status)? {
                    Ack::Rejected { .. } => Ack::Rejected { retry_delay: ms(retry_delay) },
                    confirmed => confirmed,
                };
                inner.core.ack(ms(now), &mid, &lid, ack).await
            };
            run.await.map_err(|e| inner.error(e))?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Resolves to an array of message rows (no lid, no body).
    #[wasm_bindgen(js_name = fetchHeaders)]
    pub fn fetch_headers(
        &self,
        now: f64,
        receiver: String,
        after: Option<f64>,
        after_mid: Option<String>,
        limit: u32,
    ) -> Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        settle(async move {
            let run = async {
                let mid = after_mid.as_deref().map(Key::parse).transpose()?;
                let cursor = Cursor { received_at: after.map(ms).unwrap_or(i64::MIN), mid };
                inner.core.fetch_headers(ms(now), &receiver, cursor, limit as usize).await
            };
            let rows = run.await.map_err(|e| inner.error(e))?;
            Ok(rows.into_iter().map(message_row).collect::<Array>().into())
        })
    }

    /// Resolves to the stored form-encoded body, or `null`.
    #[wasm_bindgen(js_name = fetchBlob)]
    pub fn fetch_blob(&self, mid: String) -> Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        settle(async move {
            let run = async { inner.core.fetch_blob(&Key::parse(&mid)?).await };
            match run.await.map_err(|e| inner.error(e))? {
                Some(data) => Ok(String::from_utf8_lossy(&data).into_owned().into()),
                None => Ok(JsValue::NULL),
            }
        })
    }

    /// Resolves to the number of expired leases released.
    pub fn reenqueue(&self, now: f64) -> Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        settle(async move {
            let n = inner.core.reenqueue(ms(now)).await.map_err(|e| inner.error(e))?;
            Ok((n as f64).into())
        })
    }

    /// Serves the HTTP API. Resolves to `[status, [name, value, …], Uint8Array]`.
    #[allow(clippy::too_many_arguments)]
    pub fn handle(
        &self,
        now: f64,
        method: String,
        path: String,
        query: String,
        content_type: Option<String>,
        accept: Option<String>,
        authorization: Option<String>,
        body: Vec<u8>,
    ) -> Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        settle(async move {
            let request = HttpRequest { method, path, query, content_type, accept, authorization, body };
            let response = crate::http::handle(&inner.core, ms(now), &inner.http, &request).await;
            Ok(reply_row(response))
        })
    }
}
