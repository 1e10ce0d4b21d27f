//! Bearer tokens: checked first, and a refusal changes nothing.

use crate::support::*;
use pandora_mq::http::HttpOptions;

fn locked() -> Api {
    Api::with_options(HttpOptions { admin: true, token: Some("s3cret".into()), ..HttpOptions::default() })
}

#[test]
fn missing_or_wrong_token_is_401_and_touches_nothing() {
    let api = locked();
    let good = req("POST", "/send").form("sender=a@x&receiver=b@x").authorization("Bearer s3cret");
    assert_eq!(api.call(good).status, 200);
    let before = api.snapshot();
    for authorization in
        [None, Some("Bearer wrong"), Some("Bearer s3cre"), Some("Basic s3cret"), Some("s3cret"), Some("Bearer ")]
    {
        let mut request = req("POST", "/send").form("sender=a@x&receiver=b@x");
        request.authorization = authorization.map(Into::into);
        let reply = api.call(request);
        assert_error(&reply, 401, "unauthorized");
        assert_eq!(reply.header("WWW-Authenticate"), Some("Bearer"), "{authorization:?}");
    }
    // Not even a lease is taken or a listing read.
    for path in ["/fetch", "/admin/reenqueue"] {
        assert_error(&api.post(path, "receiver=b@x"), 401, "unauthorized");
    }
    assert_eq!(api.snapshot(), before);
}

#[test]
fn auth_comes_before_routing() {
    let api = locked();
    // Unknown paths, disabled routes and wrong methods all look the same without a token.
    for (method, path) in [("GET", "/nope"), ("GET", "/send"), ("GET", "/admin/headers")] {
        assert_error(&api.call(req(method, path)), 401, "unauthorized");
    }
    let reply = api.call(req("GET", "/nope").authorization("Bearer s3cret"));
    assert_error(&reply, 404, "not_found");
}

#[test]
fn token_scheme_is_case_insensitive() {
    let api = locked();
    let reply = api.call(req("POST", "/fetch").form("receiver=b@x").authorization("bearer s3cret"));
    assert_eq!(reply.status, 204);
}

#[test]
fn json_clients_get_a_json_401() {
    let api = locked();
    let reply = api.call(req("POST", "/fetch").form("receiver=b@x").accept_json());
    assert_eq!(reply.status, 401);
    assert_eq!(reply.content_type(), Some("application/json"));
    assert_eq!(reply.code(), "unauthorized");
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
}

#[test]
fn without_a_token_the_header_is_ignored() {
    let api = Api::new();
    let reply = api.call(req("POST", "/fetch").form("receiver=b@x").authorization("Bearer whatever"));
    assert_eq!(reply.status, 204);
}
