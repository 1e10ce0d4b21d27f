//! `retry_backoff`: without a retry delay of its own, a rejected or timed-out
//! message waits `initial * factor^(deliveries - 1)`, at most `max`.

use crate::support::*;
use pandora_mq::{Ack, Config, RetryBackoff};

fn backoff() -> Srv {
    let b = RetryBackoff { initial: 100, max: 350, factor: 2.0 };
    server_with(Config { retry_backoff: Some(b), ..Config::default() })
}

#[test]
fn rejects_wait_longer_each_time_up_to_the_max() {
    let server = backoff();
    send(&server, T0, "b@x", &[("k", "v")]);
    let mut now = T0;
    for wait in [100, 200, 350, 350] {
        let msg = fetch(&server, now, "b@x", 1_000).unwrap();
        ack(&server, now, &msg, Ack::Rejected { retry_delay: 0 }).unwrap();
        assert!(fetch(&server, now + wait - 1, "b@x", 1_000).is_none(), "waits {wait}");
        now += wait;
    }
    // A retry delay named by the consumer wins.
    let msg = fetch(&server, now, "b@x", 1_000).unwrap();
    ack(&server, now, &msg, Ack::Rejected { retry_delay: 10 }).unwrap();
    assert!(fetch(&server, now + 10, "b@x", 1_000).is_some());
}

#[test]
fn a_timed_out_lease_waits_too() {
    let server = backoff();
    send(&server, T0, "b@x", &[("k", "v")]);
    fetch(&server, T0, "b@x", 50).unwrap();
    assert!(fetch(&server, T0 + 51 + 99, "b@x", 50).is_none());
    assert_eq!(fetch(&server, T0 + 51 + 100, "b@x", 50).unwrap().delivery_count, 2);
}

#[test]
fn a_factor_below_1_or_a_max_below_initial_is_a_bad_request() {
    for b in [
        RetryBackoff { initial: 100, max: 200, factor: 0.5 },
        RetryBackoff { initial: 100, max: 200, factor: f64::NAN },
        RetryBackoff { initial: 300, max: 200, factor: 2.0 },
    ] {
        let config = Config { retry_backoff: Some(b), ..Config::default() };
        let err = pandora_mq::Server::new(pandora_mq::MemoryStorage::new(), pandora_mq::SeededRandom::new(1), config)
            .err()
            .expect("refused");
        assert_eq!(err.code(), "bad_request", "{b:?}");
    }
}
