//! A `Storage` over the JS callbacks `{ get, list, write }`.

use crate::error::{Error, Result};
use crate::storage::{Batch, Storage, WriteLimit};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Calls a JS storage object. Callbacks may return values or Promises.
pub struct JsStorage {
    this: JsValue,
    get: Function,
    list: Function,
    write: Function,
    // The optional `prefetch(key)`: see `Storage::prefetch`.
    prefetch: Option<Function>,
    // The JS error behind the `storage` error being reported, for its `cause`.
    // Written by every failure this store reports (a rejection or a wrong shape)
    // and taken by the binding in the same poll, so it never outlives its error.
    failure: RefCell<Option<JsValue>>,
    // `soleWriter: true` on the object: only this server writes it (a
    // Durable Object's own storage), see `Storage::sole_writer`.
    sole_writer: bool,
    // `mailboxLocks: true`: its `exclusive(fn, mailbox)` excludes only the
    // same mailbox's operations, see `Storage::mailbox_locks`.
    mailbox_locks: bool,
    // `writeLimit: { keys, keyBytes, bytes, keyOverhead }`: what one write may
    // hold, see `Storage::write_limit`.
    write_limit: Option<WriteLimit>,
}

/// A whole-number property of `object` at least `min`, `None` otherwise.
fn count(object: &JsValue, name: &str, min: f64) -> Option<usize> {
    let n = Reflect::get(object, &name.into()).ok()?.as_f64()?;
    (n >= min && n.fract() == 0.0).then_some(n.min(usize::MAX as f64) as usize)
}

/// The storage object's `writeLimit`, when it has one: each cap it leaves
/// out (or gives as anything but a positive whole number) is no cap.
fn write_limit_of(object: &JsValue) -> Option<WriteLimit> {
    let limit = Reflect::get(object, &"writeLimit".into()).ok().filter(JsValue::is_object)?;
    let none = WriteLimit::NONE;
    Some(WriteLimit {
        keys: count(&limit, "keys", 1.0).unwrap_or(none.keys),
        key_bytes: count(&limit, "keyBytes", 1.0).unwrap_or(none.key_bytes),
        bytes: count(&limit, "bytes", 1.0).unwrap_or(none.bytes),
        key_overhead: count(&limit, "keyOverhead", 0.0).unwrap_or(none.key_overhead),
    })
}

/// A boolean property of the storage object, false unless `true`.
fn flag(object: &JsValue, name: &str) -> bool {
    Reflect::get(object, &name.into()).ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

impl JsStorage {
    /// Checks that `object` has the three required methods.
    pub fn new(object: JsValue) -> std::result::Result<JsStorage, String> {
        let method = |name: &str| {
            Reflect::get(&object, &name.into())
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .ok_or(format!("storage.{name} must be a function"))
        };
        Ok(JsStorage {
            get: method("get")?,
            list: method("list")?,
            write: method("write")?,
            prefetch: method("prefetch").ok(),
            sole_writer: flag(&object, "soleWriter"),
            mailbox_locks: flag(&object, "mailboxLocks"),
            write_limit: write_limit_of(&object),
            this: object,
            failure: RefCell::new(None),
        })
    }

    /// The JS error behind the `storage` failure just reported, if any.
    pub fn take_failure(&self) -> Option<JsValue> {
        self.failure.borrow_mut().take()
    }

    async fn call(&self, name: &str, f: &Function, arg: &JsValue) -> Result<JsValue> {
        let value = f.call1(&self.this, arg).map_err(|e| self.fail(name, e))?;
        if is_thenable(&value) {
            JsFuture::from(Promise::resolve(&value)).await.map_err(|e| self.fail(name, e))
        } else {
            Ok(value)
        }
    }

    fn fail(&self, name: &str, cause: JsValue) -> Error {
        let text = cause
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| cause.as_string())
            .unwrap_or_else(|| "callback failed".into());
        *self.failure.borrow_mut() = Some(cause);
        Error::Storage(format!("storage.{name}: {text}"))
    }

    /// A callback that returned the wrong shape: its cause is a `TypeError`
    /// saying so, holding nothing stale from an earlier failure.
    fn wrong_shape(&self, what: &str) -> Error {
        let why = what.to_string();
        *self.failure.borrow_mut() = Some(js_sys::TypeError::new(&why).into());
        Error::Storage(why)
    }
}

fn is_thenable(value: &JsValue) -> bool {
    value.is_object() && Reflect::get(value, &"then".into()).map(|t| t.is_function()).unwrap_or(false)
}

impl JsStorage {
    fn bytes(&self, value: &JsValue, what: &str) -> Result<Vec<u8>> {
        match value.dyn_ref::<Uint8Array>() {
            Some(array) => Ok(array.to_vec()),
            None => Err(self.wrong_shape(&format!("{what} must be a Uint8Array"))),
        }
    }
}

impl Storage for JsStorage {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let value = self.call("get", &self.get, &key.into()).await?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        self.bytes(&value, "storage.get result").map(Some)
    }

    async fn list(&self, prefix: &str, start: Option<&str>, limit: Option<usize>) -> Result<Vec<(String, Vec<u8>)>> {
        let options = Object::new();
        let _ = Reflect::set(&options, &"prefix".into(), &prefix.into());
        if let Some(start) = start {
            let _ = Reflect::set(&options, &"start".into(), &start.into());
        }
        if let Some(limit) = limit {
            let _ = Reflect::set(&options, &"limit".into(), &(limit as f64).into());
        }
        let value = self.call("list", &self.list, &options).await?;
        let entries = value.dyn_into::<Array>().map_err(|_| self.wrong_shape("storage.list must return an array"))?;
        let mut out = Vec::with_capacity(entries.length() as usize);
        for entry in entries.iter() {
            let key = Reflect::get(&entry, &0.into()).ok().and_then(|k| k.as_string());
            let key = key.ok_or_else(|| self.wrong_shape("storage.list entry key must be a string"))?;
            let value = Reflect::get(&entry, &1.into()).unwrap_or(JsValue::UNDEFINED);
            out.push((key, self.bytes(&value, "storage.list entry value")?));
        }
        Ok(out)
    }

    fn sole_writer(&self) -> bool {
        self.sole_writer
    }

    fn prefetch(&self, key: &str) {
        // A hint: whatever it returns or throws changes nothing here.
        if let Some(f) = &self.prefetch {
            let _ = f.call1(&self.this, &key.into());
        }
    }

    fn mailbox_locks(&self) -> bool {
        self.mailbox_locks
    }

    fn write_limit(&self) -> Option<WriteLimit> {
        self.write_limit
    }

    async fn write(&self, batch: Batch) -> Result<()> {
        let entries = Array::new_with_length(batch.len() as u32);
        for (i, (key, value)) in batch.into_iter().enumerate() {
            let value = match value {
                Some(v) => Uint8Array::from(v.as_slice()).into(),
                None => JsValue::NULL,
            };
            entries.set(i as u32, Array::of2(&key.into(), &value).into());
        }
        self.call("write", &self.write, &entries).await.map(drop)
    }
}
