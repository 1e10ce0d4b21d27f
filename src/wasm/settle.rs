//! Runs an operation synchronously when it can, and otherwise lets JS drive it.
//!
//! On the built-in store nothing ever waits, so the first poll finishes and the
//! result is returned (or thrown) at once: no Promise, no microtask. An operation
//! that waits on JS storage comes back as a [`Pending`], which the package polls
//! again each time it may progress. Every poll is then a call from JS, inside the
//! package's guard, so a trap in wasm rejects that call instead of dying in a
//! microtask and leaving its Promise unsettled forever.

use js_sys::{Function, Promise};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
use wasm_bindgen::prelude::*;

type Op = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// Polls `op` once: its result, its error, or a [`Pending`] to drive from JS.
/// Only the boxing is generic: the polling below exists once in the wasm, not
/// once per exported method.
#[inline]
pub fn settle<F>(op: F) -> Result<JsValue, JsValue>
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    settle_boxed(Box::pin(op))
}

#[inline(never)]
fn settle_boxed(mut op: Op) -> Result<JsValue, JsValue> {
    match op.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => result,
        Poll::Pending => {
            // A noop waker saw the first wait: poll again with a real one right away,
            // which re-registers interest in whatever the operation waits on.
            let pending = Pending {
                op: RefCell::new(Some(op)),
                wake: Rc::new(WakeSlot::default()),
                result: ResultSlot::default(),
            };
            match pending.poll()? {
                true => Ok(pending.result.take()),
                false => Ok(pending.into()),
            }
        }
    }
}

/// An operation waiting on JS: `await p.ready`, then `p.poll()` until it returns true.
#[wasm_bindgen]
pub struct Pending {
    op: RefCell<Option<Op>>,
    wake: Rc<WakeSlot>,
    result: ResultSlot,
}

#[derive(Default)]
struct ResultSlot(Cell<Option<JsValue>>);

impl ResultSlot {
    fn take(&self) -> JsValue {
        self.0.take().unwrap_or(JsValue::UNDEFINED)
    }
}

#[wasm_bindgen]
impl Pending {
    /// Resolves when the operation may progress.
    #[wasm_bindgen(getter)]
    pub fn ready(&self) -> Promise {
        if self.wake.woken.get() {
            return Promise::resolve(&JsValue::UNDEFINED);
        }
        let slot = self.wake.clone();
        Promise::new(&mut |resolve, _reject| *slot.resolve.borrow_mut() = Some(resolve))
    }

    /// Polls once: true when finished (then `value` holds the result), false to wait
    /// again; throws the operation's error.
    pub fn poll(&self) -> Result<bool, JsValue> {
        let mut slot = self.op.borrow_mut();
        let Some(op) = slot.as_mut() else { return Ok(true) };
        self.wake.woken.set(false);
        let waker = self.wake.waker();
        match op.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Pending => Ok(false),
            Poll::Ready(result) => {
                *slot = None;
                self.result.0.set(Some(result?));
                Ok(true)
            }
        }
    }

    /// The result, once `poll` returned true.
    #[wasm_bindgen(getter)]
    pub fn value(&self) -> JsValue {
        self.result.take()
    }
}

/// What a wake does: remember it, and resolve the Promise JS awaits, if any.
#[derive(Default)]
struct WakeSlot {
    woken: Cell<bool>,
    resolve: RefCell<Option<Function>>,
}

impl WakeSlot {
    fn wake(&self) {
        self.woken.set(true);
        if let Some(resolve) = self.resolve.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }

    fn waker(self: &Rc<Self>) -> Waker {
        let raw = RawWaker::new(Rc::into_raw(self.clone()).cast(), &VTABLE);
        // SAFETY: the vtable below treats the pointer as the `Rc<WakeSlot>` made
        // here, and wasm32 without threads never moves a waker across threads.
        unsafe { Waker::from_raw(raw) }
    }
}

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

// SAFETY (all four): `data` came from `Rc::into_raw` of an `Rc<WakeSlot>` in
// `WakeSlot::waker`, and each function keeps the strong count balanced.
unsafe fn clone(data: *const ()) -> RawWaker {
    Rc::increment_strong_count(data.cast::<WakeSlot>());
    RawWaker::new(data, &VTABLE)
}

unsafe fn wake(data: *const ()) {
    Rc::from_raw(data.cast::<WakeSlot>()).wake();
}

unsafe fn wake_by_ref(data: *const ()) {
    (*data.cast::<WakeSlot>()).wake();
}

unsafe fn drop_waker(data: *const ()) {
    Rc::decrement_strong_count(data.cast::<WakeSlot>());
}
