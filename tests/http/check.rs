//! `check`, the storage-free first half of `handle`: it refuses exactly what
//! `handle` refuses before an operation, with the very same reply (hosts send
//! it as is), and otherwise hands over the route and the fields.

use crate::support::*;
use pandora_mq::http::{check, Checked, HttpOptions, HttpRequest, Route};
use pandora_mq::Body;

/// Admin on, a token required: every kind of refusal is reachable.
fn locked() -> Api {
    Api::with_options(HttpOptions { admin: true, token: Some("s3cret".into()), ..HttpOptions::default() })
}

fn authorized(request: HttpRequest) -> HttpRequest {
    request.authorization("Bearer s3cret")
}

/// Asserts `check` refuses `request` with `handle`'s reply, standard headers
/// included, and that `handle` changed nothing while refusing it.
#[track_caller]
fn assert_same_refusal(api: &Api, request: HttpRequest, status: u16) {
    let before = api.snapshot();
    let refusal = check(&api.options, api.now.get(), &request).expect_err("a refusal");
    assert_eq!(refusal, api.call(request));
    assert_eq!(refusal.status, status, "{}", refusal.text());
    assert_eq!(refusal.header("Cache-Control"), Some("no-store"));
    assert_eq!(refusal.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(api.snapshot(), before);
}

fn body(pairs: &[(&str, &str)]) -> Body {
    pairs.iter().copied().collect()
}

#[test]
fn refuses_a_missing_or_wrong_token_as_handle_does() {
    let api = locked();
    assert_same_refusal(&api, req("POST", "/send").form("sender=a@x&receiver=b@x"), 401);
    let wrong = req("POST", "/fetch").form("receiver=b@x").authorization("Bearer nope");
    assert_same_refusal(&api, wrong.accept_json(), 401);
    // Before routing: an unknown path learns nothing either.
    assert_same_refusal(&api, req("GET", "/nope"), 401);
}

#[test]
fn refuses_an_unknown_path_as_handle_does() {
    let api = locked();
    for path in ["/nope", "/foosend", "/send/", "/Send", "/"] {
        assert_same_refusal(&api, authorized(req("POST", path)), 404);
    }
    assert_same_refusal(&api, authorized(req("GET", "/x/sendx").accept_json()), 404);
}

#[test]
fn refuses_admin_routes_when_off_as_handle_does() {
    let api = Api::new();
    for path in ["/admin/headers", "/admin/fetchBlob", "/admin/reenqueue"] {
        assert_same_refusal(&api, req("GET", path).query("receiver=b@x"), 404);
    }
}

#[test]
fn refuses_a_wrong_method_with_allow_as_handle_does() {
    let api = locked();
    let cases = [
        ("GET", "/send", "POST"),
        ("DELETE", "/ack", "POST"),
        ("POST", "/admin/headers", "GET"),
        ("PUT", "/admin/reenqueue", "GET, POST"),
    ];
    for (method, path, allow) in cases {
        let refusal = check(&api.options, api.now.get(), &authorized(req(method, path))).expect_err(path);
        assert_eq!(refusal.header("Allow"), Some(allow), "{method} {path}");
        assert_same_refusal(&api, authorized(req(method, path)), 405);
    }
}

#[test]
fn refuses_an_unsupported_body_type_as_handle_does() {
    let api = locked();
    let request = req("POST", "/send").body(Some("text/plain"), b"sender=a@x&receiver=b@x");
    assert_same_refusal(&api, authorized(request), 415);
}

#[test]
fn refuses_malformed_fields_as_handle_does() {
    let api = locked();
    let cases = [
        req("POST", "/send").form("sender=a@x&receiver=%zz"),
        req("POST", "/send").query("receiver=%C3").form("sender=a@x"),
        req("POST", "/send").json(r#"{"receiver": "#),
        req("POST", "/send").json(r#"["receiver"]"#).accept_json(),
        req("GET", "/admin/headers").query("receiver=%"),
    ];
    for request in cases {
        assert_same_refusal(&api, authorized(request), 400);
    }
}

#[test]
fn a_passing_request_gives_its_route_and_fields() {
    let api = locked();
    let request = authorized(req("POST", "/v1/send").query("receiver=q@x&tag=q").form("receiver=b@x"));
    let Checked { route, fields, .. } = check(&api.options, api.now.get(), &request).expect("passes");
    assert_eq!(route, Route::Send);
    // Body fields first, as the operation reads them: the body's receiver wins.
    assert_eq!(fields, body(&[("receiver", "b@x"), ("receiver", "q@x"), ("tag", "q")]));
    assert_eq!(fields.get("receiver"), Some("b@x"));
}

#[test]
fn json_fields_keep_duplicates_and_literals() {
    let api = locked();
    let json = r#"{"receiver": "a@x", "receiver": "b@x", "n": 1.50, "skip": null, "tags": [true, "x"]}"#;
    let checked = check(&api.options, api.now.get(), &authorized(req("POST", "/fetch").json(json))).unwrap();
    assert_eq!(checked.route, Route::Fetch);
    let want = [("receiver", "a@x"), ("receiver", "b@x"), ("n", "1.50"), ("tags", "true"), ("tags", "x")];
    assert_eq!(checked.fields, body(&want));
}

#[test]
fn get_routes_read_only_the_query() {
    let api = locked();
    let request = authorized(req("GET", "/admin/fetchBlob").query("mid=abc").form("mid=body"));
    let checked = check(&api.options, api.now.get(), &request).unwrap();
    assert_eq!((checked.route, checked.fields), (Route::FetchBlob, body(&[("mid", "abc")])));
}

#[test]
fn operation_errors_are_left_to_the_operation() {
    // No receiver, a malformed mid: the fields parse, so `check` passes and the
    // operation (which owns these rules) refuses.
    let api = locked();
    for (request, route) in [
        (req("POST", "/send").form("sender=a@x"), Route::Send),
        (req("POST", "/ack").form("mid=xyz&lid=&statusCode=9"), Route::Ack),
    ] {
        let request = authorized(request);
        assert_eq!(check(&api.options, api.now.get(), &request).unwrap().route, route);
        assert_eq!(api.call(request).status, 400);
    }
}
