//! Every limit is checked, and breaking one is a clear error that stores nothing.

use crate::support::*;
use pandora_mq::config::{DAY, HOUR};
use pandora_mq::{Config, Cursor, Error, MemoryStorage, SeededRandom, SendRequest, Server};

/// The encoding of `request("b@x", [("data", "")])` sent with clientTime T0, without the data.
const FIXED: &str =
    "clientTime=2023-11-14T22%3A13%3A20Z&data=&p-server=Pandora-Default-Server&receiver=b%40x&sender=a%40x";

fn sized(extra: usize) -> SendRequest {
    let data = "x".repeat(extra);
    SendRequest { client_time: Some(T0), ..request("b@x", &[("data", data.as_str())]) }
}

fn refused(server: &Srv, req: SendRequest, code: &str) -> Error {
    let err = try_send(server, T0, req).expect_err("must be refused");
    assert_eq!(err.code(), code, "{err}");
    assert!(server.storage().is_empty(), "a refused send stored something");
    err
}

#[test]
fn a_body_of_exactly_max_size_is_accepted() {
    let server = server();
    let max = server.config().max_size;
    let sent = try_send(&server, T0, sized(max - FIXED.len())).unwrap();
    let blob = run(server.fetch_blob(&sent.mid)).unwrap().unwrap();
    assert_eq!(blob.len(), max);
    assert!(blob.starts_with(b"clientTime=2023-11-14T22%3A13%3A20Z&data=xxx"));
}

#[test]
fn one_byte_more_is_message_too_big_with_the_exact_size() {
    let server = server();
    let max = server.config().max_size;
    let err = refused(&server, sized(max - FIXED.len() + 1), "message_too_big");
    assert_eq!(err, Error::MessageTooBig { size: max + 1, max });
    assert!(err.to_string().contains("4097"), "{err}");
}

#[test]
fn the_size_limit_counts_escaped_bytes_and_is_configurable() {
    let server = server_with(Config { max_size: FIXED.len() + 9, ..Config::default() });
    // "@@@" escapes to 9 bytes.
    try_send(&server, T0, SendRequest { client_time: Some(T0), ..request("b@x", &[("data", "@@@")]) }).unwrap();
    let server = server_with(Config { max_size: FIXED.len() + 8, ..Config::default() });
    let req = SendRequest { client_time: Some(T0), ..request("b@x", &[("data", "@@@")]) };
    let err = refused(&server, req, "message_too_big");
    assert_eq!(err, Error::MessageTooBig { size: FIXED.len() + 9, max: FIXED.len() + 8 });
}

#[test]
fn empty_mailbox_names_are_invalid() {
    let server = server();
    refused(&server, request("", &[("k", "v")]), "invalid_mailbox");
    refused(&server, SendRequest { sender: String::new(), ..request("b@x", &[("k", "v")]) }, "invalid_mailbox");
    assert_eq!(run(server.fetch_latest(T0, "", None)).unwrap_err().code(), "invalid_mailbox");
    let err = run(server.fetch_headers(T0, "", Cursor::default(), 10)).unwrap_err();
    assert_eq!(err.code(), "invalid_mailbox");
}

#[test]
fn mailbox_names_are_limited_to_255_bytes_not_characters() {
    let server = server();
    let ascii_255 = "a".repeat(255);
    let utf8_255 = format!("{}a", "é".repeat(127));
    for name in [&ascii_255, &utf8_255] {
        assert_eq!(name.len(), 255);
        send(&server, T0, name, &[("k", "v")]);
        try_send(&server, T0, SendRequest { sender: name.clone(), ..request("b@x", &[("k", "v")]) }).unwrap();
        assert!(fetch(&server, T0, name, 100).is_some());
    }

    let server = self::server();
    let ascii_256 = "a".repeat(256);
    let utf8_256 = "é".repeat(128); // 128 characters, 256 bytes
    for name in [&ascii_256, &utf8_256] {
        refused(&server, request(name, &[("k", "v")]), "invalid_mailbox");
        let as_sender = SendRequest { sender: name.clone(), ..request("b@x", &[("k", "v")]) };
        refused(&server, as_sender, "invalid_mailbox");
        assert_eq!(run(server.fetch_latest(T0, name, None)).unwrap_err().code(), "invalid_mailbox");
    }
}

#[test]
fn leases_run_from_1ms_to_12h() {
    let server = server();
    for lease in [0, -1, 12 * HOUR + 1] {
        send(&server, T0, "b@x", &[("k", "v")]);
        let before = server.storage().snapshot();
        let err = run(server.fetch_latest(T0, "b@x", Some(lease))).unwrap_err();
        assert_eq!(err.code(), "out_of_range", "lease {lease}");
        assert_eq!(server.storage().snapshot(), before);
    }
    let one = fetch(&server, T0, "b@x", 1).unwrap();
    assert_eq!(one.leased_until, T0 + 1);
    let longest = fetch(&server, T0, "b@x", 12 * HOUR).unwrap();
    assert_eq!(longest.leased_until, T0 + 12 * HOUR);
}

#[test]
fn the_default_lease_is_five_minutes() {
    let server = server();
    send(&server, T0, "b@x", &[("k", "v")]);
    let msg = run(server.fetch_latest(T0, "b@x", None)).unwrap().unwrap();
    assert_eq!(msg.leased_until, T0 + 5 * 60_000);
}

#[test]
fn delays_run_from_zero_to_max_delay() {
    let server = server();
    let max = server.config().max_delay;
    assert_eq!(max, 30 * DAY);
    for delay in [-1, max + 1, i64::MIN] {
        refused(&server, SendRequest { delay, ..request("b@x", &[("k", "v")]) }, "out_of_range");
    }
    let small = server_with(Config { max_delay: 1_000, ..Config::default() });
    refused(&small, SendRequest { delay: 1_001, ..request("b@x", &[("k", "v")]) }, "out_of_range");
    try_send(&small, T0, SendRequest { delay: 1_000, ..request("b@x", &[("k", "v")]) }).unwrap();
}

#[test]
fn reserved_fields_are_refused_by_name() {
    let server = server();
    for name in
        ["lid", "mid", "status", "statusCode", "leasedUntil", "receivedAt", "sendWhen", "deliveryCount", "validBody"]
    {
        let err = refused(&server, request("b@x", &[("ok", "1"), (name, "x")]), "reserved_field");
        assert_eq!(err, Error::ReservedField(name.into()));
    }
}

#[test]
fn invalid_configs_are_refused() {
    let bad = [
        Config { max_size: 0, ..Config::default() },
        Config { default_lease: 0, ..Config::default() },
        Config { default_lease: 12 * HOUR + 1, ..Config::default() },
        Config { max_delay: -1, ..Config::default() },
        Config { dedupe_window: -1, ..Config::default() },
        Config { dedupe_window: 30 * DAY + 1, ..Config::default() },
        Config { lid_prefix: "has.dot".into(), ..Config::default() },
        Config { lid_prefix: "x".repeat(129), ..Config::default() },
    ];
    for config in bad {
        let err = Server::new(MemoryStorage::new(), SeededRandom::new(1), config.clone())
            .err()
            .unwrap_or_else(|| panic!("accepted {config:?}"));
        assert_eq!(err.code(), "out_of_range", "{config:?}");
    }
}

#[test]
fn boundary_configs_are_accepted_and_a_lid_prefix_is_used() {
    let good = [
        Config { max_size: 1, ..Config::default() },
        Config { default_lease: 1, max_delay: 0, dedupe_window: 0, ..Config::default() },
        Config { default_lease: 12 * HOUR, dedupe_window: 30 * DAY, ..Config::default() },
        Config { lid_prefix: "x".repeat(128), ..Config::default() },
    ];
    for config in good {
        assert!(Server::new(MemoryStorage::new(), SeededRandom::new(1), config.clone()).is_ok(), "{config:?}");
    }
    let server = server_with(Config { lid_prefix: "do-1_A".into(), ..Config::default() });
    send(&server, T0, "b@x", &[("k", "v")]);
    let msg = fetch(&server, T0, "b@x", 100).unwrap();
    let (prefix, secret) = lid(&msg).split_once('.').expect("prefix.secret");
    assert_eq!(prefix, "do-1_A");
    // 128 random bits in hex, then where the lease's delivery entry is (11 digits).
    assert_eq!(secret.len(), 43);
    assert!(secret[..32].bytes().all(|b| b.is_ascii_hexdigit()));
    ack(&server, T0, &msg, pandora_mq::Ack::Confirmed).unwrap();
}
