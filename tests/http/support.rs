//! A server behind `handle`, request builders and reply readers.

use pandora_mq::http::{handle, HttpOptions, HttpRequest, HttpResponse};
use pandora_mq::{Body, Config, FaultyStorage, MemoryStorage, SeededRandom, Server, Storage};
use std::cell::Cell;

/// 2026-11-25T13:52:20.289Z, the time of the Go transcript.
pub const NOW: i64 = 1_795_614_740_289;
pub const NOW_TEXT: &str = "2026-11-25T13:52:20.289Z";
pub const SECOND: i64 = 1_000;
pub const MINUTE: i64 = 60 * SECOND;

/// A server, its HTTP options and a clock the test moves by hand.
pub struct Api<S: Storage = MemoryStorage> {
    pub server: Server<S, SeededRandom>,
    pub options: HttpOptions,
    pub now: Cell<i64>,
}

impl Api<MemoryStorage> {
    /// Default options: admin off, no token.
    pub fn new() -> Self {
        Api::on(MemoryStorage::new(), HttpOptions::default())
    }

    /// Admin routes on.
    pub fn admin() -> Self {
        Api::on(MemoryStorage::new(), HttpOptions { admin: true, ..HttpOptions::default() })
    }

    pub fn with_options(options: HttpOptions) -> Self {
        Api::on(MemoryStorage::new(), options)
    }

    pub fn snapshot(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        self.server.storage().snapshot()
    }
}

impl Api<FaultyStorage<MemoryStorage>> {
    /// A server whose storage fails when told to.
    pub fn faulty() -> Self {
        Api::on(FaultyStorage::new(MemoryStorage::new()), HttpOptions { admin: true, ..HttpOptions::default() })
    }
}

impl<S: Storage> Api<S> {
    pub fn on(storage: S, options: HttpOptions) -> Self {
        let server = Server::new(storage, SeededRandom::new(1), Config::default()).unwrap();
        Api { server, options, now: Cell::new(NOW) }
    }

    pub fn advance(&self, ms: i64) {
        self.now.set(self.now.get() + ms);
    }

    pub fn call(&self, request: HttpRequest) -> HttpResponse {
        futures_executor::block_on(handle(&self.server, self.now.get(), &self.options, &request))
    }

    /// `POST path` with a form body.
    pub fn post(&self, path: &str, form: &str) -> HttpResponse {
        self.call(req("POST", path).form(form))
    }

    /// `GET path?query`.
    pub fn get(&self, path: &str, query: &str) -> HttpResponse {
        self.call(req("GET", path).query(query))
    }

    /// Sends and returns the mid, failing the test on anything but 200.
    pub fn send(&self, form: &str) -> String {
        self.send_at("/send", form)
    }

    /// Sends to `path` and returns the mid.
    pub fn send_at(&self, path: &str, form: &str) -> String {
        let reply = self.post(path, form);
        assert_eq!(reply.status, 200, "send {form}: {}", reply.text());
        reply.form().get("mid").expect("mid in the send reply").to_owned()
    }

    /// Fetches for `receiver`: the reply fields, or `None` on 204.
    pub fn fetch(&self, receiver: &str) -> Option<Body> {
        let reply = self.post("/fetch", &format!("receiver={receiver}"));
        match reply.status {
            200 => Some(reply.form()),
            204 => None,
            other => panic!("fetch: {other} {}", reply.text()),
        }
    }

    /// Acks and returns the reply.
    pub fn ack(&self, mid: &str, lid: &str, status: &str) -> HttpResponse {
        self.post("/ack", &format!("mid={mid}&lid={lid}&statusCode={status}"))
    }
}

/// A bare request.
pub fn req(method: &str, path: &str) -> HttpRequest {
    HttpRequest { method: method.into(), path: path.into(), ..HttpRequest::default() }
}

/// Builder-style setters for requests.
pub trait RequestExt: Sized {
    fn query(self, query: &str) -> Self;
    fn form(self, body: &str) -> Self;
    fn json(self, body: &str) -> Self;
    fn body(self, content_type: Option<&str>, body: &[u8]) -> Self;
    fn accept_json(self) -> Self;
    fn authorization(self, value: &str) -> Self;
}

impl RequestExt for HttpRequest {
    fn query(mut self, query: &str) -> Self {
        self.query = query.into();
        self
    }
    fn form(self, body: &str) -> Self {
        self.body(Some("application/x-www-form-urlencoded"), body.as_bytes())
    }
    fn json(self, body: &str) -> Self {
        self.body(Some("application/json"), body.as_bytes())
    }
    fn body(mut self, content_type: Option<&str>, body: &[u8]) -> Self {
        self.content_type = content_type.map(Into::into);
        self.body = body.to_vec();
        self
    }
    fn accept_json(mut self) -> Self {
        self.accept = Some("application/json".into());
        self
    }
    fn authorization(mut self, value: &str) -> Self {
        self.authorization = Some(value.into());
        self
    }
}

/// Reading replies.
pub trait ResponseExt {
    fn text(&self) -> String;
    fn form(&self) -> Body;
    fn content_type(&self) -> Option<&str>;
    /// The `code` of an error reply, form or JSON.
    fn code(&self) -> String;
}

impl ResponseExt for HttpResponse {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 reply")
    }
    fn form(&self) -> Body {
        Body::decode(&self.body)
    }
    fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }
    fn code(&self) -> String {
        let text = self.text();
        if self.content_type() == Some("application/json") {
            let start = text.find(r#""code":""#).expect("code in JSON error") + 8;
            text[start..].split('"').next().unwrap().to_owned()
        } else {
            self.form().get("code").expect("code in form error").to_owned()
        }
    }
}

/// Asserts an error reply: status, code, form layout `error=…&code=…`.
#[track_caller]
pub fn assert_error(reply: &HttpResponse, status: u16, code: &str) {
    assert_eq!(reply.status, status, "reply: {}", reply.text());
    assert_eq!(reply.content_type(), Some("application/x-www-form-urlencoded"));
    let text = reply.text();
    assert!(text.starts_with("error="), "{text}");
    assert!(text.ends_with(&format!("&code={code}")), "{text}");
}

/// The SHA-1 hex of `blob`: what a mid must be.
pub fn sha1_hex(blob: &str) -> String {
    pandora_mq::Key::of(blob.as_bytes()).to_hex()
}

/// Polls two futures to completion together on one thread, as two concurrent
/// requests on one Server would be.
pub fn join2<A: std::future::Future, B: std::future::Future>(a: A, b: B) -> (A::Output, B::Output) {
    use std::pin::pin;
    use std::task::Poll;
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut ra, mut rb) = (None, None);
    futures_executor::block_on(std::future::poll_fn(|cx| {
        if ra.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                ra = Some(v);
            }
        }
        if rb.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                rb = Some(v);
            }
        }
        if ra.is_some() && rb.is_some() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }));
    (ra.unwrap(), rb.unwrap())
}

/// Wraps a store so every call first yields to the executor once: two requests
/// polled together then really interleave at each storage await, as they would
/// on a JS-backed store.
pub struct Yielding<S>(pub S);

struct YieldOnce(bool);

impl std::future::Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

impl<S: Storage> Storage for Yielding<S> {
    async fn get(&self, key: &str) -> pandora_mq::Result<Option<Vec<u8>>> {
        YieldOnce(false).await;
        self.0.get(key).await
    }
    async fn list(
        &self,
        prefix: &str,
        start: Option<&str>,
        limit: Option<usize>,
    ) -> pandora_mq::Result<Vec<(String, Vec<u8>)>> {
        YieldOnce(false).await;
        self.0.list(prefix, start, limit).await
    }
    async fn write(&self, batch: pandora_mq::Batch) -> pandora_mq::Result<()> {
        YieldOnce(false).await;
        self.0.write(batch).await
    }
}
