//! Storage failures: 500 with the error's message, and nothing changed.

use crate::support::*;
use pandora_mq::http::HttpResponse;
use pandora_mq::{FaultyStorage, MemoryStorage};

type Faulty = Api<FaultyStorage<MemoryStorage>>;
/// One request against the set-up server, given its leased (mid, lid).
type Op = Box<dyn Fn(&Faulty, &str, &str) -> HttpResponse>;

/// Two messages for b@x, the first leased for 1m: (api, mid, lid).
fn setup() -> (Faulty, String, String) {
    let api = Api::faulty();
    let mid = api.send("sender=a@x&receiver=b@x&n=1");
    api.send("sender=a@x&receiver=b@x&n=2");
    let lid = api.post("/fetch", "receiver=b@x&leaseTime=1m").form().get("lid").unwrap().to_owned();
    (api, mid, lid)
}

/// Every operation that uses storage; each answers 200 when storage works.
fn operations() -> Vec<(&'static str, Op)> {
    vec![
        ("send", Box::new(|api, _, _| api.post("/send", "sender=a@x&receiver=c@x"))),
        ("fetch", Box::new(|api, _, _| api.post("/fetch", "receiver=b@x"))),
        ("confirm", Box::new(|api, mid, lid| api.ack(mid, lid, "1"))),
        ("reject", Box::new(|api, mid, lid| api.ack(mid, lid, "2"))),
        ("headers", Box::new(|api, _, _| api.get("/admin/headers", "receiver=b@x"))),
        ("fetchBlob", Box::new(|api, mid, _| api.get("/admin/fetchBlob", &format!("mid={mid}")))),
        (
            "reenqueue",
            Box::new(|api, _, _| {
                api.advance(MINUTE + 1);
                api.get("/admin/reenqueue", "")
            }),
        ),
    ]
}

#[test]
fn every_storage_call_of_every_route_fails_cleanly() {
    for (name, op) in operations() {
        let (api, mid, lid) = setup();
        api.server.storage().reset();
        assert_eq!(op(&api, &mid, &lid).status, 200, "{name} without faults");
        let calls = api.server.storage().calls();
        assert!(calls > 0, "{name} uses storage");
        let clean = api.server.storage().inner().snapshot();
        for n in 1..=calls {
            let (api, mid, lid) = setup();
            let before = api.server.storage().inner().snapshot();
            api.server.storage().reset();
            api.server.storage().fail_at(Some(n));
            let reply = op(&api, &mid, &lid);
            assert_error(&reply, 500, "storage");
            let error = reply.form().get("error").unwrap().to_owned();
            assert_eq!(error, format!("storage failed: injected fault at call {n}"), "{name}");
            let after = api.server.storage().inner().snapshot();
            if name == "reenqueue" {
                // Reenqueue commits in chunks (each atomic), so a late fault may
                // leave earlier chunks done; running it again finishes the job.
                api.server.storage().fail_at(None);
                assert_eq!(api.get("/admin/reenqueue", "").status, 200);
                assert_eq!(api.server.storage().inner().snapshot(), clean, "reenqueue retried after call {n}");
            } else {
                assert_eq!(after, before, "{name} failing at call {n}");
            }
        }
    }
}

#[test]
fn json_500_has_the_same_shape_and_no_debug_text() {
    let (api, _, _) = setup();
    api.server.storage().reset();
    api.server.storage().fail_at(Some(1));
    let reply = api.call(req("POST", "/fetch").form("receiver=b@x").accept_json());
    assert_eq!(reply.status, 500);
    assert_eq!(reply.content_type(), Some("application/json"));
    assert_eq!(reply.text(), r#"{"error":"storage failed: injected fault at call 1","code":"storage"}"#);
}

#[test]
fn corrupt_records_are_500_not_panics() {
    use pandora_mq::{Key, Storage};
    let (api, mid, lid) = setup();
    let header = pandora_mq::layout::message(&Key::parse(&mid).unwrap());
    futures_executor::block_on(api.server.storage().write(vec![(header, Some(vec![9, 9, 9]))])).unwrap();
    let reply = api.ack(&mid, &lid, "1");
    assert_error(&reply, 500, "corrupt");
    let reply = api.get("/admin/fetchBlob", &format!("mid={mid}"));
    assert_error(&reply, 500, "corrupt");
}
