//! `ttl` (per send) and `retention` (per server): an expired message is never
//! delivered; it is dropped, or dead when `max_deliveries` is set.

use crate::support::*;
use pandora_mq::{Config, Cursor, SendRequest};

fn with_ttl(ttl: i64, n: &str) -> SendRequest {
    SendRequest { ttl, ..request("b@x", &[("n", n)]) }
}

#[test]
fn an_expired_message_is_dropped_and_the_next_one_delivered() {
    let server = server();
    let a = try_send(&server, T0, with_ttl(1_000, "a")).unwrap();
    let b = send(&server, T0 + 1, "b@x", &[("n", "b")]);
    assert_eq!(run(server.peek(T0 + 999, "b@x", 10)).unwrap()[0].mid, a.mid, "alive until its ttl");
    assert!(run(server.peek(T0 + 1_000, "b@x", 10)).unwrap().iter().all(|m| m.mid != a.mid));
    assert_eq!(fetch(&server, T0 + 1_000, "b@x", 100).unwrap().mid, b.mid);
    let stats = run(server.stats(T0 + 1_000, "b@x")).unwrap();
    assert_eq!((stats.ready, stats.delayed, stats.leased), (0, 0, 1), "a was dropped, b is leased");
    assert!(run(server.fetch_blob(&a.mid)).unwrap().is_none());
}

#[test]
fn with_max_deliveries_an_expired_message_is_dead() {
    let server = server_with(Config { max_deliveries: 3, ..Config::default() });
    let a = try_send(&server, T0, with_ttl(1_000, "a")).unwrap();
    assert!(fetch(&server, T0 + 1_000, "b@x", 100).is_none());
    let dead = run(server.fetch_dead(T0 + 1_000, "b@x", Cursor::default(), 10)).unwrap();
    assert_eq!(mids(&dead), [a.mid]);
}

#[test]
fn retention_caps_every_message_and_the_shorter_limit_wins() {
    let server = server_with(Config { retention: 2_000, ..Config::default() });
    let long = try_send(&server, T0, with_ttl(60_000, "long")).unwrap();
    let short = try_send(&server, T0, with_ttl(500, "short")).unwrap();
    let peeked = |now| mids(&run(server.peek(now, "b@x", 10)).unwrap());
    assert_eq!(peeked(T0 + 499).len(), 2);
    assert_eq!(peeked(T0 + 500), [long.mid]);
    assert!(peeked(T0 + 2_000).is_empty());
    assert!(fetch(&server, T0 + 2_000, "b@x", 100).is_none());
    assert!(headers(&server, T0 + 2_000, "b@x").is_empty());
    let _ = short;
}

#[test]
fn a_negative_ttl_is_out_of_range() {
    let server = server();
    assert_eq!(try_send(&server, T0, with_ttl(-1, "x")).unwrap_err().code(), "out_of_range");
    assert!(server.storage().is_empty());
}
