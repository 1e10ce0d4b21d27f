//! Suffix routing, 404s, admin switch, 405 with `Allow`.

use crate::support::*;
use pandora_mq::http::{route_of, HttpOptions, Route};

#[test]
fn route_of_matches_whole_trailing_segments() {
    let cases: &[(&str, Option<Route>)] = &[
        ("/send", Some(Route::Send)),
        ("send", Some(Route::Send)),
        ("/foo/bar/send", Some(Route::Send)),
        ("/fetch", Some(Route::Fetch)),
        ("/v1/ack", Some(Route::Ack)),
        ("/admin/headers", Some(Route::Headers)),
        ("/x/admin/fetchBlob", Some(Route::FetchBlob)),
        ("/admin/reenqueue", Some(Route::Reenqueue)),
        ("/admin/send", Some(Route::Send)),
        ("/foosend", None),
        ("/send/", None),
        ("/Send", None),
        ("/headers", None),
        ("/xadmin/headers", None),
        ("/fetchBlob", None),
        ("/", None),
        ("", None),
    ];
    for &(path, want) in cases {
        assert_eq!(route_of(path), want, "{path:?}");
    }
    assert!(Route::Headers.is_admin() && Route::FetchBlob.is_admin() && Route::Reenqueue.is_admin());
    assert!(!Route::Send.is_admin() && !Route::Fetch.is_admin() && !Route::Ack.is_admin());
}

#[test]
fn routes_work_under_any_prefix() {
    let api = Api::admin();
    let mid = api.send_at("/foo/bar/send", "sender=a@x&receiver=b@x&topic=hi");
    let reply = api.post("/foo/bar/fetch", "receiver=b@x");
    assert_eq!(reply.status, 200);
    let fields = reply.form();
    assert_eq!(fields.get("mid"), Some(mid.as_str()));
    let lid = fields.get("lid").unwrap();
    let reply = api.post("/deep/er/ack", &format!("mid={mid}&lid={lid}&statusCode=1"));
    assert_eq!(reply.status, 200);
    assert_eq!(api.get("/p/admin/reenqueue", "").status, 200);
    assert_eq!(api.get("/p/admin/headers", "receiver=b@x").status, 204);
}

#[test]
fn unknown_path_is_404_not_found() {
    let api = Api::admin();
    for path in ["/", "/nope", "/send/", "/sendx", "/admin", "/admin/unknown"] {
        let reply = api.post(path, "sender=a@x&receiver=b@x");
        assert_error(&reply, 404, "not_found");
    }
    assert!(api.snapshot().is_empty());
    let reply = api.call(req("GET", "/nope").accept_json());
    assert_eq!(reply.status, 404);
    assert_eq!(reply.content_type(), Some("application/json"));
    assert_eq!(reply.code(), "not_found");
}

#[test]
fn admin_routes_are_absent_when_admin_is_off() {
    let api = Api::new();
    api.send("sender=a@x&receiver=b@x&clientTime=2026-01-01T00:00:00Z");
    let before = api.snapshot();
    for (method, path) in [
        ("GET", "/admin/headers"),
        ("GET", "/admin/fetchBlob"),
        ("GET", "/admin/reenqueue"),
        ("POST", "/admin/reenqueue"),
        ("DELETE", "/admin/headers"),
    ] {
        let reply = api.call(req(method, path).query("receiver=b@x"));
        assert_error(&reply, 404, "not_found");
        // Exactly what an unknown path gets: nothing says the route exists.
        assert_eq!(reply.header("allow"), None);
    }
    assert_eq!(api.snapshot(), before);
    let on = Api::with_options(HttpOptions { admin: true, ..HttpOptions::default() });
    assert_eq!(on.get("/admin/reenqueue", "").status, 200);
}

#[test]
fn wrong_method_is_405_with_allow() {
    let api = Api::admin();
    let cases = [
        ("GET", "/send", "POST"),
        ("PUT", "/send", "POST"),
        ("GET", "/fetch", "POST"),
        ("GET", "/ack", "POST"),
        ("DELETE", "/ack", "POST"),
        ("post", "/send", "POST"),
        ("POST", "/admin/headers", "GET"),
        ("HEAD", "/admin/fetchBlob", "GET"),
        ("PUT", "/admin/reenqueue", "GET, POST"),
    ];
    for (method, path, allow) in cases {
        let reply = api.call(req(method, path).query("sender=a@x&receiver=b@x").form("x=%zz"));
        assert_error(&reply, 405, "method_not_allowed");
        assert_eq!(reply.header("Allow"), Some(allow), "{method} {path}");
    }
    // A GET carrying send fields sends nothing.
    assert!(api.snapshot().is_empty());
    let reply = api.call(req("GET", "/send").accept_json());
    assert_eq!(reply.status, 405);
    assert_eq!(reply.content_type(), Some("application/json"));
    assert_eq!(reply.header("allow"), Some("POST"));
}

#[test]
fn every_reply_forbids_caching_and_sniffing() {
    let api = Api::admin();
    for reply in [
        api.post("/send", "sender=a@x&receiver=b@x"),
        api.post("/fetch", "receiver=nobody"),
        api.get("/nope", ""),
        api.get("/admin/reenqueue", ""),
    ] {
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
}

/// The tables the bindings publish are complete: every code an error can give
/// is listed once, and every route has a distinct name.
#[test]
fn published_tables_are_complete() {
    use pandora_mq::http::{Route, HTTP_CODES};
    use pandora_mq::{Error, Status};
    let every = [
        Error::MessageTooBig { size: 1, max: 0 },
        Error::InvalidMailbox(String::new()),
        Error::NilBody,
        Error::InvalidKey(String::new()),
        Error::InvalidDuration(String::new()),
        Error::InvalidTime(String::new()),
        Error::OutOfRange(String::new()),
        Error::ReservedField(String::new()),
        Error::LockMismatch,
        Error::LeaseExpired,
        Error::UnknownStatus(String::new()),
        Error::NotFound,
        Error::BadRequest(String::new()),
        Error::Storage(String::new()),
        Error::Corrupt(String::new()),
        Error::Internal(String::new()),
        Error::UnsupportedFormat(String::new()),
    ];
    let codes: Vec<&str> = every.iter().map(Error::code).collect();
    assert_eq!(codes, Error::CODES, "one entry per variant, in order");
    for code in HTTP_CODES {
        assert!(!codes.contains(&code), "{code} is the HTTP layer's own");
    }
    let names: std::collections::BTreeSet<&str> = Route::ALL.iter().map(|r| r.name()).collect();
    assert_eq!(names.len(), Route::ALL.len());
    assert_eq!(Route::Headers.name(), "headers");
    let statuses: Vec<u8> = Status::ALL.iter().map(|s| s.code()).collect();
    assert_eq!(statuses, [1, 2, 4, 8, 16]);
    // A batch item's error carries the item's own code, not one of its own.
    let item = Error::BatchItem { index: 3, error: Box::new(Error::NilBody) };
    assert_eq!(item.code(), "nil_body");
}
