//! Any request gets a well-formed reply: no panic, a known status, and a body
//! in the content type it claims.

use crate::support::*;
use pandora_mq::http::{HttpOptions, HttpRequest};
use proptest::prelude::*;

fn method() -> impl Strategy<Value = String> {
    prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("post"), Just("")].prop_map(String::from)
}

fn path() -> impl Strategy<Value = String> {
    let known = prop_oneof![
        Just("/send"),
        Just("/fetch"),
        Just("/ack"),
        Just("/admin/headers"),
        Just("/admin/fetchBlob"),
        Just("/admin/reenqueue"),
    ];
    prop_oneof![(any::<String>(), known).prop_map(|(prefix, route)| format!("{prefix}{route}")), any::<String>(),]
}

/// Field soup: known names, odd escapes, and arbitrary text.
fn form() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("sender".to_owned()),
        Just("receiver".to_owned()),
        Just("delay".to_owned()),
        Just("clientTime".to_owned()),
        Just("leaseTime".to_owned()),
        Just("mid".to_owned()),
        Just("lid".to_owned()),
        Just("statusCode".to_owned()),
        Just("retryDelay".to_owned()),
        Just("receivedat".to_owned()),
        Just("after".to_owned()),
        Just("limit".to_owned()),
        "[a-z%+=&]{0,6}",
    ];
    let value = prop_oneof![
        Just("b@x".to_owned()),
        Just("1".to_owned()),
        Just("-1h".to_owned()),
        Just("2026-01-01T00:00:00Z".to_owned()),
        Just("a".repeat(40)),
        "[ -~]{0,12}",
        any::<String>(),
    ];
    proptest::collection::vec((name, value), 0..6)
        .prop_map(|pairs| pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"))
}

fn body() -> impl Strategy<Value = (Option<String>, Vec<u8>)> {
    let content_type = prop_oneof![
        Just(None),
        Just(Some("application/x-www-form-urlencoded".to_owned())),
        Just(Some("application/json".to_owned())),
        Just(Some("text/plain".to_owned())),
        any::<String>().prop_map(Some),
    ];
    let bytes = prop_oneof![
        form().prop_map(String::into_bytes),
        "\\{(\"[a-zA-Z]{0,8}\":(\"[^\"]{0,8}\"|[0-9.eE+-]{1,6}|true|null|\\[[^\\]]{0,10}\\]|\\{\\}),?){0,4}\\}?"
            .prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..64),
    ];
    (content_type, bytes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn every_request_gets_a_well_formed_reply(
        method in method(),
        path in path(),
        query in form(),
        (content_type, body) in body(),
        json in any::<bool>(),
    ) {
        let api = Api::with_options(HttpOptions { admin: true, ..HttpOptions::default() });
        api.send("sender=a@x&receiver=b@x");
        let request = HttpRequest {
            method,
            path,
            query,
            content_type,
            accept: json.then(|| "application/json".to_owned()),
            authorization: None,
            body,
        };
        let reply = api.call(request);
        prop_assert!([200, 204, 400, 404, 405, 415].contains(&reply.status), "status {}", reply.status);
        match reply.status {
            204 => prop_assert!(reply.body.is_empty() && reply.content_type().is_none()),
            200 => prop_assert!(reply.content_type().is_some()),
            _ => {
                // Every error names its code, in the format asked for.
                prop_assert!(!reply.code().is_empty());
            }
        }
        if reply.content_type() == Some("application/json") {
            prop_assert!(std::str::from_utf8(&reply.body).is_ok());
        }
    }
}
