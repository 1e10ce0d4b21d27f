//! The production operations on `WasmServer`: extend, cancel, peek, stats,
//! dead letters (list, redrive), purge, and `nextDue` for long polling.
//! Arguments are converted by `value.rs`, every rule is the core's.

use super::error::to_js;
use super::row::message_row;
use super::server::WasmServer;
use super::settle::settle;
use super::value;
use crate::config::{MAX_BATCH, MAX_CHUNK};
use crate::error::Error;
use crate::key::Key;
use crate::message::{PurgeScope, Stats};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

type Reply = std::result::Result<JsValue, JsValue>;

fn stats_object(s: Stats) -> JsValue {
    let out = Object::new();
    let oldest = s.oldest_ready.map(|t| JsValue::from(t as f64)).unwrap_or(JsValue::NULL);
    for (name, value) in [
        ("ready", JsValue::from(s.ready as f64)),
        ("delayed", JsValue::from(s.delayed as f64)),
        ("leased", JsValue::from(s.leased as f64)),
        ("dead", JsValue::from(s.dead as f64)),
        ("bytes", JsValue::from(s.bytes as f64)),
        ("oldestReady", oldest),
    ] {
        let _ = Reflect::set(&out, &name.into(), &value);
    }
    out.into()
}

#[wasm_bindgen]
impl WasmServer {
    /// The new `leasedUntil` (ms) of the lease `lid` on `mid`, renewed for `lease`
    /// (default: the server's default lease).
    pub fn extend(&self, now: f64, mid: String, lid: String, lease: JsValue) -> Reply {
        let inner = self.inner.clone();
        let parsed = (|| Ok((Key::parse(&mid)?, value::duration(lease, "lease")?)))();
        settle(async move {
            let (mid, lease) = parsed.map_err(|e: Error| to_js(e, None))?;
            let lease = lease.unwrap_or(inner.core.config().default_lease);
            let until = inner.core.extend(now as i64, &mid, &lid, lease).await.map_err(|e| inner.error(e))?;
            Ok((until as f64).into())
        })
    }

    /// True when the pending message `mid` of `receiver` was removed.
    pub fn cancel(&self, now: f64, receiver: String, mid: String) -> Reply {
        let inner = self.inner.clone();
        let mid = Key::parse(&mid);
        settle(async move {
            let mid = mid.map_err(|e| to_js(e, None))?;
            let done = inner.core.cancel(now as i64, &receiver, &mid).await.map_err(|e| inner.error(e))?;
            Ok(done.into())
        })
    }

    /// Up to `limit` (1 … 100, default 1) message rows a fetch would hand out now, without lids.
    pub fn peek(&self, now: f64, receiver: String, limit: JsValue) -> Reply {
        let inner = self.inner.clone();
        let limit = value::count(limit, "limit", 1, MAX_BATCH).map(|n| n.unwrap_or(1));
        settle(async move {
            let limit = limit.map_err(|e| to_js(e, None))?;
            let rows = inner.core.peek(now as i64, &receiver, limit).await.map_err(|e| inner.error(e))?;
            Ok(rows.into_iter().map(message_row).collect::<Array>().into())
        })
    }

    /// `{ ready, delayed, leased, dead, bytes, oldestReady }` of `receiver` at `now`.
    pub fn stats(&self, now: f64, receiver: String) -> Reply {
        let inner = self.inner.clone();
        settle(async move {
            let stats = inner.core.stats(now as i64, &receiver).await.map_err(|e| inner.error(e))?;
            Ok(stats_object(stats))
        })
    }

    /// How many dead messages moved back to ready (at most `limit`, 1 … 1000, the default).
    pub fn redrive(&self, now: f64, receiver: String, limit: JsValue) -> Reply {
        let inner = self.inner.clone();
        let limit = value::count(limit, "limit", 1, MAX_CHUNK).map(|n| n.unwrap_or(MAX_CHUNK));
        settle(async move {
            let limit = limit.map_err(|e| to_js(e, None))?;
            let moved = inner.core.redrive(now as i64, &receiver, limit).await.map_err(|e| inner.error(e))?;
            Ok((moved as f64).into())
        })
    }

    /// How many messages were deleted: `status` absent or `"all"`: every pending
    /// and dead one; `"dead"`: dead letters only.
    pub fn purge(&self, now: f64, receiver: String, status: JsValue) -> Reply {
        let inner = self.inner.clone();
        let scope = match status.as_string().as_deref() {
            _ if status.is_undefined() || status.is_null() => Ok(PurgeScope::All),
            Some("all") => Ok(PurgeScope::All),
            Some("dead") => Ok(PurgeScope::Dead),
            _ => Err(Error::BadRequest(format!("status must be \"all\" or \"dead\", got {}", value::shown(&status)))),
        };
        settle(async move {
            let scope = scope.map_err(|e| to_js(e, None))?;
            let deleted =
                inner.core.purge(now as i64, &receiver, scope, MAX_CHUNK).await.map_err(|e| inner.error(e))?;
            Ok((deleted as f64).into())
        })
    }

    /// When the next message of `receiver` is due (ms, possibly past), or `null`
    /// when nothing is pending: a long poll sleeps until then or until a send.
    #[wasm_bindgen(js_name = nextDue)]
    pub fn next_due(&self, receiver: String) -> Reply {
        let inner = self.inner.clone();
        settle(async move {
            let due = inner.core.next_due(&receiver).await.map_err(|e| inner.error(e))?;
            Ok(due.map(|t| JsValue::from(t as f64)).unwrap_or(JsValue::NULL))
        })
    }
}
