//! Request decoding (query + form + JSON) and reply encoding (form vs JSON).

use crate::support::*;

#[test]
fn query_and_body_fields_are_merged() {
    let api = Api::new();
    let reply = api.call(req("POST", "/send").query("sender=a@x&color=blue&tag=q").form("receiver=b@x&color=red"));
    assert_eq!(reply.status, 200);
    let got = api.fetch("b@x").unwrap();
    assert_eq!(got.get("sender"), Some("a@x"));
    assert_eq!(got.get("tag"), Some("q"));
    // Body values come first, as in Go's r.Form.
    assert_eq!(got.get_all("color").collect::<Vec<_>>(), ["red", "blue"]);
}

#[test]
fn a_body_value_wins_over_the_query() {
    let api = Api::new();
    api.call(req("POST", "/send").query("sender=q@x&receiver=q@x").form("sender=a@x&receiver=b@x"));
    assert_eq!(api.fetch("b@x").unwrap().get("sender"), Some("a@x"));
    assert!(api.fetch("q@x").is_none());
}

#[test]
fn query_only_requests_work() {
    let api = Api::new();
    assert_eq!(api.call(req("POST", "/send").query("sender=a@x&receiver=b@x")).status, 200);
    assert_eq!(api.call(req("POST", "/fetch").query("receiver=b@x")).status, 200);
}

#[test]
fn a_leading_question_mark_is_not_part_of_the_first_field() {
    let api = Api::new();
    assert_eq!(api.call(req("POST", "/send").query("?sender=a@x&receiver=b@x")).status, 200);
}

#[test]
fn form_escapes_are_decoded_strictly() {
    let api = Api::new();
    api.send("sender=a%40x&receiver=b%40x&msg=caf%C3%A9+au+lait%21&plus=1%2B1");
    let got = api.fetch("b@x").unwrap();
    assert_eq!(got.get("msg"), Some("café au lait!"));
    assert_eq!(got.get("plus"), Some("1+1"));
    let before = api.snapshot();
    for bad in ["sender=a@x&receiver=b@x&x=%zz", "sender=a@x&receiver=b@x&x=%4", "sender=a@x&receiver=b@x&x=%ff"] {
        assert_error(&api.post("/send", bad), 400, "bad_request");
        assert_error(&api.call(req("POST", "/send").query(bad)), 400, "bad_request");
    }
    let reply = api
        .call(req("POST", "/send").body(Some("application/x-www-form-urlencoded"), b"sender=a@x&receiver=b@x&x=\xff"));
    assert_error(&reply, 400, "bad_request");
    assert_eq!(api.snapshot(), before);
}

#[test]
fn missing_content_type_means_form() {
    let api = Api::new();
    let reply = api.call(req("POST", "/send").body(None, b"sender=a@x&receiver=b@x"));
    assert_eq!(reply.status, 200);
    let reply =
        api.call(req("POST", "/fetch").body(Some("application/x-www-form-urlencoded; charset=UTF-8"), b"receiver=b@x"));
    assert_eq!(reply.status, 200);
}

#[test]
fn other_body_types_are_415() {
    let api = Api::new();
    for ct in ["text/plain;charset=UTF-8", "multipart/form-data; boundary=x", "application/xml"] {
        let reply = api.call(req("POST", "/send").body(Some(ct), b"sender=a@x&receiver=b@x"));
        assert_error(&reply, 415, "unsupported_media_type");
    }
    assert!(api.snapshot().is_empty());
    // An empty body has no encoding to get wrong.
    let reply = api.call(req("POST", "/fetch").query("receiver=b@x").body(Some("text/plain"), b""));
    assert_eq!(reply.status, 204);
}

#[test]
fn json_bodies_are_read() {
    let api = Api::new();
    let body = r#"{"sender":"a@x","receiver":"b@x","clientTime":"2026-01-01T00:00:00Z",
                   "topic":"hi","color":["red","blue"],"n":1.50,"ok":true,"skip":null,"q":"say \"hi\"\n"}"#;
    let reply = api.call(req("POST", "/send").json(body));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let got = api.fetch("b@x").unwrap();
    assert_eq!(got.get("topic"), Some("hi"));
    assert_eq!(got.get_all("color").collect::<Vec<_>>(), ["red", "blue"]);
    assert_eq!(got.get("n"), Some("1.50"));
    assert_eq!(got.get("ok"), Some("true"));
    assert_eq!(got.get("skip"), None);
    assert_eq!(got.get("q"), Some("say \"hi\"\n"));
    assert_eq!(got.get("clientTime"), Some("2026-01-01T00:00:00Z"));
    let reply = api.call(req("POST", "/fetch").body(Some("application/json; charset=utf-8"), br#"{"receiver":"b@x"}"#));
    assert_eq!(reply.status, 204, "leased above; the JSON fetch was read");
}

#[test]
fn json_ack_and_fetch() {
    let api = Api::new();
    let mid = api.send("sender=a@x&receiver=b@x");
    let reply = api.call(req("POST", "/fetch").json(r#"{"receiver":"b@x","leaseTime":"1m"}"#));
    let lid = reply.form().get("lid").unwrap().to_owned();
    let ack = format!(r#"{{"mid":"{mid}","lid":"{lid}","statusCode":1}}"#);
    assert_eq!(api.call(req("POST", "/ack").json(&ack)).status, 200);
}

#[test]
fn malformed_json_is_400_and_changes_nothing() {
    let api = Api::new();
    for body in [
        "{",
        "[]",
        r#"{"sender":"a@x","receiver":"b@x",}"#,
        r#"{"sender":"a@x","receiver":"b@x","x":{"y":1}}"#,
        r#"{"sender":"a@x","receiver":"b@x","x":[[1]]}"#,
        r#"{"sender":"a@x","receiver":"b@x"} trailing"#,
        "sender=a@x&receiver=b@x",
    ] {
        let reply = api.call(req("POST", "/send").json(body));
        assert_error(&reply, 400, "bad_request");
    }
    assert!(api.snapshot().is_empty());
}

#[test]
fn accept_picks_the_reply_format() {
    let api = Api::new();
    let cases = [
        (None, "application/x-www-form-urlencoded"),
        (Some("*/*"), "application/x-www-form-urlencoded"),
        (Some("text/html"), "application/x-www-form-urlencoded"),
        (Some("application/json"), "application/json"),
        (Some("text/plain;q=0.5, Application/JSON"), "application/json"),
    ];
    for (accept, want) in cases {
        let mut request = req("POST", "/send").form("sender=a@x&receiver=b@x");
        request.accept = accept.map(Into::into);
        assert_eq!(api.call(request).content_type(), Some(want), "{accept:?}");
    }
}

#[test]
fn errors_in_both_formats() {
    let api = Api::new();
    let form = api.post("/send", "receiver=b@x");
    assert_eq!(form.text(), "error=invalid+mailbox%3A+sender+is+missing&code=invalid_mailbox");
    let json = api.call(req("POST", "/send").form("receiver=b@x").accept_json());
    assert_eq!(json.status, 400);
    assert_eq!(json.content_type(), Some("application/json"));
    assert_eq!(json.text(), r#"{"error":"invalid mailbox: sender is missing","code":"invalid_mailbox"}"#);
}

#[test]
fn json_replies_escape_what_they_carry() {
    let api = Api::new();
    api.send("sender=a%22%5C@x&receiver=b@x&ctl=%01%1F&nl=a%0Ab&tab=%09&uni=%C3%A9%E2%80%A8");
    let text = api.call(req("POST", "/fetch").form("receiver=b@x").accept_json()).text();
    assert!(text.contains(r#""sender":"a\"\\@x""#), "{text}");
    assert!(text.contains(r#""ctl":"\u0001\u001f""#), "{text}");
    assert!(text.contains(r#""nl":"a\nb""#), "{text}");
    assert!(text.contains(r#""tab":"\t""#), "{text}");
    assert!(text.contains("\"uni\":\"é\u{2028}\""), "{text}");
    let reply = api.call(req("POST", "/send").form("sender=a@x&receiver=b@x&delay=%22").accept_json());
    assert_eq!(reply.status, 400);
    assert!(reply.text().contains(r#"delay: \"\\\"\""#), "the error message is escaped: {}", reply.text());
}
