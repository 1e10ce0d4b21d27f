//! Crash safety: a storage failure at any call of any operation surfaces as a
//! `storage` error and leaves the stored state exactly as it was before the call.
//! An operation that wrote anything before its final write fails here.

use crate::support::{request, run, T0};
use pandora_mq::config::MINUTE;
use pandora_mq::{Ack, Cursor, FaultyStorage, Key, MemoryStorage, Message, Result, SeededRandom, SendRequest, Server};
use std::collections::{BTreeMap, BTreeSet};

type Snapshot = BTreeMap<String, Vec<u8>>;
type Faulty = Server<FaultyStorage<MemoryStorage>, SeededRandom>;

fn faulty_server() -> Faulty {
    Server::new(FaultyStorage::new(MemoryStorage::new()), SeededRandom::new(9), Default::default()).unwrap()
}

/// What the scenario remembers between steps.
#[derive(Clone, Default)]
struct State {
    a: Option<Key>,
    b: Option<Key>,
    held: Option<Message>,
}

#[derive(Clone, Copy, Debug)]
enum Step {
    Send(i64),
    SendDelayed(i64),
    SendDuplicate(i64),
    Fetch(i64, &'static str),
    FetchNone(i64),
    Reject(i64),
    Confirm(i64),
    Reenqueue(i64, u64),
    Headers(i64, usize),
}

fn ab(state: &State, which: &str) -> Key {
    if which == "a" { state.a } else { state.b }.expect("sent earlier")
}

/// Runs one step; on success checks its result and records it in `state`.
async fn perform(server: &Faulty, step: Step, state: &mut State) -> Result<()> {
    match step {
        Step::Send(now) => {
            let req = SendRequest { client_time: Some(T0), ..request("b@x", &[("n", "a")]) };
            state.a = Some(server.send(now, req).await?.mid);
        }
        Step::SendDelayed(now) => {
            let req = SendRequest { delay: 1_000, ..request("b@x", &[("n", "b")]) };
            state.b = Some(server.send(now, req).await?.mid);
        }
        Step::SendDuplicate(now) => {
            let req = SendRequest { client_time: Some(T0), ..request("b@x", &[("n", "a")]) };
            let receipt = server.send(now, req).await?;
            assert!(receipt.duplicate && Some(receipt.mid) == state.a);
        }
        Step::Fetch(now, which) => {
            let msg = server.fetch_latest(now, "b@x", Some(500)).await?.expect("a due message");
            assert_eq!(msg.mid, ab(state, which));
            state.held = Some(msg);
        }
        Step::FetchNone(now) => {
            assert_eq!(server.fetch_latest(now, "b@x", Some(500)).await?, None);
        }
        Step::Reject(now) | Step::Confirm(now) => {
            let msg = state.held.as_ref().expect("a held message");
            let verdict = match step {
                Step::Reject(_) => Ack::Rejected { retry_delay: 0 },
                _ => Ack::Confirmed,
            };
            server.ack(now, &msg.mid, msg.lid.as_deref().unwrap(), verdict).await?;
            state.held = None;
        }
        Step::Reenqueue(now, released) => {
            assert_eq!(server.reenqueue(now).await?, released);
        }
        Step::Headers(now, count) => {
            let listed = server.fetch_headers(now, "b@x", Cursor::default(), 100).await?;
            assert_eq!(listed.len(), count);
        }
    }
    Ok(())
}

/// Fails every storage call of `step` in turn, checking nothing changed each time,
/// then lets it succeed. Returns how many storage calls the step makes.
fn every_fault_is_harmless(server: &Faulty, state: &mut State, step: Step) -> u64 {
    let storage = server.storage();
    let before = storage.inner().snapshot();
    for n in 1.. {
        storage.reset();
        storage.fail_at(Some(n));
        let mut trial = state.clone();
        let result = run(perform(server, step, &mut trial));
        let calls = storage.calls();
        storage.fail_at(None);
        if calls < n {
            // The fault was never reached: this was a clean run.
            assert!(n > 1, "{step:?} made no storage call");
            result.unwrap_or_else(|e| panic!("{step:?} failed without a fault: {e}"));
            *state = trial;
            return calls;
        }
        let err = match result {
            Err(err) => err,
            Ok(()) => panic!("{step:?} succeeded although storage call {n} failed"),
        };
        assert_eq!(err.code(), "storage", "{step:?}, fault at call {n}: {err}");
        assert_eq!(calls, n, "{step:?} went on after its storage call {n} failed");
        let changed = changed_keys(&before, &storage.inner().snapshot());
        assert!(changed.is_empty(), "{step:?} changed {changed:?} although its call {n} failed");
    }
    unreachable!()
}

/// Keys added, removed or rewritten between two snapshots.
fn changed_keys(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let keys: BTreeSet<&String> =
        before.keys().chain(after.keys()).filter(|k| before.get(*k) != after.get(*k)).collect();
    keys.into_iter().cloned().collect()
}

fn run_scenario(server: &Faulty, steps: &[Step]) -> Vec<u64> {
    let mut state = State::default();
    steps.iter().map(|&step| every_fault_is_harmless(server, &mut state, step)).collect()
}

#[test]
fn no_fault_in_the_life_of_two_messages_loses_or_half_writes_anything() {
    let server = faulty_server();
    let steps = [
        Step::Send(T0),
        Step::SendDelayed(T0),
        Step::SendDuplicate(T0),
        Step::Fetch(T0, "a"),
        Step::FetchNone(T0),
        Step::Reject(T0 + 10),
        Step::Fetch(T0 + 10, "a"),
        Step::Confirm(T0 + 20),
        Step::SendDuplicate(T0 + 30),
        Step::Reenqueue(T0 + 30, 0),
        Step::Fetch(T0 + 1_000, "b"),
        Step::Fetch(T0 + 1_501, "b"), // the lease ran out: redelivery
        Step::Reenqueue(T0 + 3_000, 1),
        Step::Headers(T0 + 3_000, 1),
    ];
    let calls = run_scenario(&server, &steps);
    // Each mutating step reads, then writes once; this keeps the scenario honest.
    assert!(calls.iter().all(|&c| c >= 1), "{calls:?}");
    assert!(calls[3] >= 3, "fetch reads index, header and blob, then writes: {calls:?}");
}

#[test]
fn a_send_that_sweeps_a_confirmed_record_is_atomic() {
    let server = faulty_server();
    let steps = [
        Step::Send(T0),
        Step::Fetch(T0, "a"),
        Step::Confirm(T0),
        // A different message, sent after the first one's window closed
        // (5 minutes after the end of its 500 ms lease).
        Step::SendDelayed(T0 + 500 + 5 * MINUTE),
    ];
    run_scenario(&server, &steps);
    let keys: Vec<String> = server.storage().inner().snapshot().into_keys().collect();
    assert_eq!(keys.iter().filter(|k| k.starts_with('m')).count(), 1, "swept: {keys:?}");
}

#[test]
fn a_reenqueue_collecting_tombstones_is_atomic() {
    let server = faulty_server();
    let steps = [Step::Send(T0), Step::Fetch(T0, "a"), Step::Confirm(T0), Step::Reenqueue(T0 + 500 + 5 * MINUTE, 0)];
    run_scenario(&server, &steps);
    assert!(server.storage().inner().is_empty());
}

#[test]
fn a_reenqueue_releasing_an_expired_lease_is_atomic() {
    let server = faulty_server();
    let steps = [Step::Send(T0), Step::Fetch(T0, "a"), Step::Reenqueue(T0 + 501, 1), Step::Headers(T0 + 501, 1)];
    run_scenario(&server, &steps);
}

#[test]
fn a_reenqueue_releasing_leases_and_collecting_tombstones_is_atomic() {
    let server = faulty_server();
    let steps = [
        Step::Send(T0),
        Step::SendDelayed(T0),
        Step::Fetch(T0, "a"),
        Step::Confirm(T0),
        Step::Fetch(T0 + 1_000, "b"),
        // B's lease has run out and A's dedupe window has closed: two kinds of work.
        Step::Reenqueue(T0 + 500 + 5 * MINUTE, 1),
    ];
    run_scenario(&server, &steps);
}
