//! `GET …/admin/headers`.

use crate::support::*;
use pandora_mq::http::HttpOptions;

/// The values of `name` in every header object of a listing, in order.
fn column(json: &str, name: &str) -> Vec<String> {
    let tag = format!(r#""{name}":[""#);
    json.match_indices(&tag).map(|(at, _)| json[at + tag.len()..].split('"').next().unwrap().to_owned()).collect()
}

#[test]
fn one_header_in_the_go_shape() {
    let api = Api::admin();
    let mid = api.send("sender=a@x&receiver=b@x&clientTime=2026-01-01T00:00:00Z&delay=2s");
    let reply = api.get("/admin/headers", "receiver=b@x&receivedat=-1h");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("application/json"));
    let want = format!(
        r#"[{{"clientTime":["2026-01-01T00:00:00Z"],"deliveryCount":["0"],"leased":["false"],"leasedUntil":["0001-01-01T00:00:00Z"],"lid":[""],"mid":["{mid}"],"receivedAt":["{NOW_TEXT}"],"receiver":["b@x"],"sendWhen":["2026-11-25T13:52:22.289Z"],"sender":["a@x"],"status":["notDelivered"],"statusCode":["8"],"validBody":["true"],"visibleAt":["2026-11-25T13:52:22.289Z"]}}]"#
    );
    assert_eq!(reply.text(), want);
}

#[test]
fn a_leased_message_is_not_listed_until_reenqueue_releases_it_as_in_go() {
    let api = Api::admin();
    api.send("sender=a@x&receiver=b@x");
    let lid = api.post("/fetch", "receiver=b@x&leaseTime=1m").form().get("lid").unwrap().to_owned();
    assert_eq!(api.get("/admin/headers", "receiver=b@x").status, 204);
    let text = api.get("/admin/headers", "receiver=b@x&status=leased").text();
    assert_eq!(column(&text, "leased"), ["true"]);
    assert_eq!(column(&text, "leasedUntil"), ["2026-11-25T13:53:20.289Z"]);
    assert_eq!(column(&text, "lid"), [""]);
    assert!(!text.contains(&lid));
    api.advance(MINUTE + 1);
    assert_eq!(api.get("/admin/headers", "receiver=b@x").status, 204, "not until reenqueue");
    assert_eq!(api.get("/admin/reenqueue", "").status, 200);
    let text = api.get("/admin/headers", "receiver=b@x").text();
    assert_eq!(column(&text, "leased"), ["false"]);
    assert_eq!(column(&text, "deliveryCount"), ["1"]);
    assert_eq!(column(&text, "lid"), [""]);
    assert!(!text.contains(&lid));
    assert_eq!(column(&text, "status"), ["timeout"]);
    assert_eq!(column(&text, "statusCode"), ["4"]);
}

#[test]
fn always_json_even_for_form_clients() {
    let api = Api::admin();
    api.send("sender=a@x&receiver=b@x");
    for accept in [None, Some("text/plain"), Some("application/json")] {
        let mut request = req("GET", "/admin/headers").query("receiver=b@x");
        request.accept = accept.map(Into::into);
        let reply = api.call(request);
        assert_eq!(reply.content_type(), Some("application/json"), "{accept:?}");
        assert!(reply.text().starts_with("[{"));
    }
}

#[test]
fn none_is_204() {
    let api = Api::admin();
    assert_eq!(api.get("/admin/headers", "receiver=b@x").status, 204);
    api.send("sender=a@x&receiver=b@x");
    let reply = api.get("/admin/headers", &format!("receiver=b@x&receivedat={NOW_TEXT}"));
    assert_eq!((reply.status, reply.body.len()), (204, 0), "strictly after receivedat");
    assert_eq!(api.get("/admin/headers", "receiver=b@x&receivedat=1s").status, 204, "in the future");
}

#[test]
fn receivedat_is_a_time_or_a_duration_from_now() {
    let api = Api::admin();
    api.send("sender=a@x&receiver=b@x&topic=old");
    api.advance(2 * MINUTE);
    api.send("sender=a@x&receiver=b@x&topic=new");
    let count = |query: &str| column(&api.get("/admin/headers", query).text(), "mid").len();
    assert_eq!(count("receiver=b@x"), 2, "no receivedat: from the beginning");
    assert_eq!(count("receiver=b@x&receivedat=-1m"), 1);
    assert_eq!(count("receiver=b@x&receivedat=-1h"), 2);
    assert_eq!(count("receiver=b@x&receivedat=2026-11-25T13:53:00Z"), 1);
    assert_eq!(count("receiver=b@x&receivedat=2026-11-25T14:53:00%2B01:00"), 1);
    assert_eq!(count("receiver=b@x&receivedAt=2026-11-25T13:53:00Z"), 1, "the reply's spelling works too");
    for bad in ["yesterday", "2026-11-25", "-1d"] {
        let reply = api.get("/admin/headers", &format!("receiver=b@x&receivedat={bad}"));
        assert_error(&reply, 400, "invalid_time");
    }
}

#[test]
fn pages_of_ten_within_one_millisecond() {
    let api = Api::admin();
    let mut sent: Vec<String> = (0..25).map(|i| api.send(&format!("sender=a@x&receiver=b@x&n={i}"))).collect();
    sent.sort(); // one millisecond: the listing orders them by mid
    let mut pages = Vec::new();
    let mut query = "receiver=b@x".to_owned();
    loop {
        let reply = api.get("/admin/headers", &query);
        if reply.status == 204 {
            break;
        }
        let text = reply.text();
        let mids = column(&text, "mid");
        assert!(mids.len() <= 10);
        let last_at = column(&text, "receivedAt").pop().unwrap();
        query = format!("receiver=b@x&receivedat={last_at}&after={}", mids.last().unwrap());
        pages.push(mids.len());
        sent.retain(|m| !mids.contains(m));
    }
    assert_eq!(pages, [10, 10, 5]);
    assert!(sent.is_empty(), "every message listed once");
}

#[test]
fn pages_across_milliseconds_by_receivedat() {
    let api = Api::admin();
    for i in 0..12 {
        api.send(&format!("sender=a@x&receiver=b@x&n={i}"));
        api.advance(1);
    }
    let first = api.get("/admin/headers", "receiver=b@x").text();
    let at = column(&first, "receivedAt");
    assert_eq!(at.len(), 10);
    let second = api.get("/admin/headers", &format!("receiver=b@x&receivedat={}", at[9])).text();
    assert_eq!(column(&second, "receivedAt"), ["2026-11-25T13:52:20.299Z", "2026-11-25T13:52:20.3Z"]);
}

#[test]
fn limit_and_page_size() {
    let api = Api::admin();
    for i in 0..5 {
        api.send(&format!("sender=a@x&receiver=b@x&n={i}"));
    }
    let count = |api: &Api, query: &str| column(&api.get("/admin/headers", query).text(), "mid").len();
    assert_eq!(count(&api, "receiver=b@x&limit=3"), 3);
    assert_eq!(count(&api, "receiver=b@x&limit=100"), 5);
    assert_error(&api.get("/admin/headers", "receiver=b@x&limit=0"), 400, "out_of_range");
    assert_error(&api.get("/admin/headers", "receiver=b@x&limit=101"), 400, "out_of_range");
    assert_error(&api.get("/admin/headers", "receiver=b@x&limit=ten"), 400, "bad_request");
    // A number that is no page size is out of range, as the same number is in process.
    assert_error(&api.get("/admin/headers", "receiver=b@x&limit=-1"), 400, "out_of_range");
    assert_error(&api.get("/admin/headers", "receiver=b@x&limit=1.5"), 400, "out_of_range");

    let small = Api::with_options(HttpOptions { admin: true, headers_page: 2, ..HttpOptions::default() });
    for i in 0..5 {
        small.send(&format!("sender=a@x&receiver=b@x&n={i}"));
    }
    assert_eq!(count(&small, "receiver=b@x"), 2);
    let huge = Api::with_options(HttpOptions { admin: true, headers_page: 5000, ..HttpOptions::default() });
    for i in 0..101 {
        huge.send(&format!("sender=a@x&receiver=b@x&n={i}"));
    }
    assert_eq!(count(&huge, "receiver=b@x"), 100, "a page never exceeds 100");
}

#[test]
fn bad_parameters() {
    let api = Api::admin();
    assert_error(&api.get("/admin/headers", ""), 400, "invalid_mailbox");
    assert_error(&api.get("/admin/headers", "receiver=b@x&receivedat=-1h&after=xyz"), 400, "invalid_key");
    let mid = "a".repeat(40);
    assert_error(&api.get("/admin/headers", &format!("receiver=b@x&after={mid}")), 400, "bad_request");
}

#[test]
fn other_mailboxes_are_not_listed() {
    let api = Api::admin();
    api.send("sender=a@x&receiver=b@x");
    api.send("sender=a@x&receiver=b@xy");
    api.send("sender=a@x&receiver=b");
    assert_eq!(column(&api.get("/admin/headers", "receiver=b@x").text(), "receiver"), ["b@x"]);
}
