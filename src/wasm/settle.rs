//! Runs an operation synchronously when it can finish without waiting.

use std::future::Future;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

/// Polls `op` once. On the built-in store nothing ever waits, so the result is
/// returned (or thrown) at once, skipping a Promise, a microtask and a boxed
/// closure per call. An operation that waits on JS storage is handed to a
/// Promise, which polls it again with a real waker.
pub fn settle<F>(op: F) -> Result<JsValue, JsValue>
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    let mut op = Box::pin(op);
    match op.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => result,
        Poll::Pending => Ok(future_to_promise(op).into()),
    }
}
