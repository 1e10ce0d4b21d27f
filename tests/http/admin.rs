//! `GET …/admin/fetchBlob` and `…/admin/reenqueue`.

use crate::support::*;

#[test]
fn fetch_blob_is_the_raw_stored_body() {
    let api = Api::admin();
    let mid = api.send("sender=a@x&receiver=b@x&clientTime=2026-01-01T00:00:00Z&note=a%26b+c&color=red&color=blue");
    let blob = "clientTime=2026-01-01T00%3A00%3A00Z&color=red&color=blue&note=a%26b+c\
                &p-server=Pandora-Default-Server&receiver=b%40x&sender=a%40x";
    for request in [
        req("GET", "/admin/fetchBlob").query(&format!("mid={mid}")),
        req("GET", "/admin/fetchBlob").query(&format!("mid={mid}")).accept_json(),
    ] {
        let reply = api.call(request);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.content_type(), Some("application/x-www-form-urlencoded"));
        assert_eq!(reply.text(), blob);
    }
    assert_eq!(sha1_hex(blob), mid);
    let upper = mid.to_uppercase();
    assert_eq!(api.get("/admin/fetchBlob", &format!("mid={upper}")).text(), blob, "hex in either case");
}

#[test]
fn fetch_blob_of_an_unknown_mid_is_404() {
    let api = Api::admin();
    let reply = api.get("/admin/fetchBlob", &format!("mid={}", "0".repeat(40)));
    assert_error(&reply, 404, "not_found");
    let reply = api.call(req("GET", "/admin/fetchBlob").query(&format!("mid={}", "0".repeat(40))).accept_json());
    assert_eq!(reply.status, 404);
    assert_eq!(reply.code(), "not_found");
}

#[test]
fn fetch_blob_after_confirm_is_404() {
    let api = Api::admin();
    let mid = api.send("sender=a@x&receiver=b@x");
    let lid = api.fetch("b@x").unwrap().get("lid").unwrap().to_owned();
    assert_eq!(api.ack(&mid, &lid, "1").status, 200);
    assert_error(&api.get("/admin/fetchBlob", &format!("mid={mid}")), 404, "not_found");
}

#[test]
fn fetch_blob_with_a_bad_mid_is_400_invalid_key() {
    let api = Api::admin();
    for query in ["", "mid=", "mid=abc", &format!("mid={}", "z".repeat(40)), &format!("mid={}", "a".repeat(41))] {
        assert_error(&api.get("/admin/fetchBlob", query), 400, "invalid_key");
    }
}

#[test]
fn reenqueue_counts_released_leases() {
    let api = Api::admin();
    let reply = api.get("/admin/reenqueue", "");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("application/x-www-form-urlencoded"));
    assert_eq!(reply.text(), "count=0");
    api.send("sender=a@x&receiver=b@x");
    api.send("sender=a@x&receiver=c@x");
    api.post("/fetch", "receiver=b@x&leaseTime=1s");
    api.post("/fetch", "receiver=c@x&leaseTime=1m");
    api.advance(SECOND + 1);
    let reply = api.call(req("POST", "/admin/reenqueue").accept_json());
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("application/json"));
    assert_eq!(reply.text(), r#"{"count":1}"#);
    assert_eq!(api.get("/admin/reenqueue", "").text(), "count=0");
}
