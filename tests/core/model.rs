//! Model-based test: random operation sequences run against the server and against
//! a tiny reference model of the queue, comparing them after every operation.
//!
//! Checked throughout: no message is lost (every sent, unconfirmed message is listed
//! and is finally delivered); a message never has two valid leases (a lid of an
//! earlier delivery never acks); a confirmed message is never delivered again, and
//! identical sends within the dedupe window are duplicates; every message in the
//! queue has exactly one record (holding its body, reference count 1), one
//! delivery entry and one listing entry, and nothing else is stored once the
//! dedupe windows close.

use crate::support::{body, run, Srv, T0};
use pandora_mq::layout;
use pandora_mq::record::Record;
use pandora_mq::{
    Ack, Config, Cursor, Key, MemoryStorage, SeededRandom, SendRequest, Server, Status,
};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use std::collections::{BTreeMap, HashMap, HashSet};

const MAILBOXES: [&str; 3] = ["a@x", "b@x", "b"];
const SENDERS: [&str; 2] = ["s@x", "t@x"];
const BODIES: [&[(&str, &str)]; 3] = [&[("k", "1")], &[("k", "2")], &[("k", "1"), ("x", "y z")]];
const WINDOWS: [i64; 3] = [0, 1_000, 4_000];
/// Cap on every random duration, in ms.
const SPAN: i64 = 4_000;

#[derive(Clone, Debug)]
enum Op {
    Send {
        sender: usize,
        receiver: usize,
        body: usize,
        client_time: Option<usize>,
        delay: i64,
    },
    Fetch {
        receiver: usize,
        lease: i64,
    },
    /// Ack a held lease with its own lid.
    AckCurrent {
        pick: usize,
        confirm: bool,
        retry_delay: i64,
    },
    /// Ack with the lid of an earlier delivery.
    AckStale {
        pick: usize,
        confirm: bool,
    },
    /// Ack some mid (or an unknown one) with a made-up lid.
    AckRandom {
        pick: usize,
        lid: u128,
    },
    Advance(i64),
    /// Move to just before, at or just after an instant the model cares about
    /// (a due time, a lease end, the end of a dedupe window).
    Jump {
        pick: usize,
        delta: i64,
    },
    Reenqueue,
}

/// Operation sequences. Small durations and `Jump` make operations land on one
/// millisecond and on every boundary (a due time, a lease's last ms, a window's end).
fn ops() -> impl Strategy<Value = Vec<Op>> {
    let span = || prop_oneof![0..3i64, Just(10i64), Just(100i64), 0..SPAN];
    let op = prop_oneof![
        4 => (0..2usize, 0..3usize, 0..3usize, proptest::option::of(0..2usize), span()).prop_map(
            |(sender, receiver, body, client_time, delay)| Op::Send {
                sender,
                receiver,
                body,
                client_time,
                delay,
            }
        ),
        4 => (0..3usize, span()).prop_map(|(receiver, l)| Op::Fetch { receiver, lease: l.max(1) }),
        4 => (any::<usize>(), any::<bool>(), span()).prop_map(|(pick, confirm, retry_delay)| Op::AckCurrent {
            pick,
            confirm,
            retry_delay,
        }),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(pick, confirm)| Op::AckStale { pick, confirm }),
        1 => (any::<usize>(), any::<u128>()).prop_map(|(pick, lid)| Op::AckRandom { pick, lid }),
        2 => span().prop_map(Op::Advance),
        3 => (any::<usize>(), -1..=1i64).prop_map(|(pick, delta)| Op::Jump { pick, delta }),
        1 => Just(Op::Reenqueue),
    ];
    proptest::collection::vec(op, 1..30)
}

#[derive(Clone, Debug)]
struct Lease {
    lid: String,
    until: i64,
    /// Dropped by `reenqueue` after it ran out.
    released: bool,
}

/// One incarnation of a message (a mid re-sent after its window is a new one).
#[derive(Clone, Debug)]
struct Msg {
    mid: Key,
    receiver: usize,
    received_at: i64,
    send_when: i64,
    /// When it is due while not leased: its send time, or its retry time after a reject.
    due: i64,
    lease: Option<Lease>,
    stale_lids: Vec<String>,
    status: Status,
    delivery_count: u32,
    confirmed_at: Option<i64>,
    /// Until when an identical send is a duplicate after the confirm: the end of
    /// the lease it was confirmed under plus the window (no window: none).
    dedupe_until: i64,
}

impl Msg {
    fn pending(&self) -> bool {
        self.confirmed_at.is_none()
    }

    /// When it is deliverable: a lease holds through `until`, inclusive.
    fn due_at(&self) -> i64 {
        match &self.lease {
            Some(l) => l.until + 1,
            None => self.due,
        }
    }

    fn leased_at(&self, now: i64) -> bool {
        matches!(&self.lease, Some(l) if !l.released && now <= l.until)
    }

    /// The status a listing or the next delivery reports.
    fn status_at(&self, now: i64) -> Status {
        match &self.lease {
            Some(l) if !l.released && now > l.until => Status::Timeout,
            _ => self.status,
        }
    }
}

struct World {
    server: Srv,
    now: i64,
    window: i64,
    msgs: Vec<Msg>,
    identities: HashMap<(usize, usize, usize, usize), Key>,
    lids: HashSet<String>,
}

impl World {
    fn new(seed: u64, window: i64) -> World {
        let config = Config { dedupe_window: window, ..Config::default() };
        World {
            server: Server::new(MemoryStorage::new(), SeededRandom::new(seed), config).unwrap(),
            now: T0,
            window,
            msgs: Vec::new(),
            identities: HashMap::new(),
            lids: HashSet::new(),
        }
    }

    /// The latest incarnation of `mid`.
    fn current(&self, mid: &Key) -> Option<&Msg> {
        self.msgs.iter().rev().find(|m| m.mid == *mid)
    }

    fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.server.storage().snapshot()
    }

    /// Runs an ack that the model says must fail with one of `codes`, changing nothing.
    fn failing_ack(&self, mid: &Key, lid: &str, ack: Ack, codes: &[&str]) {
        let before = self.snapshot();
        let err = run(self.server.ack(self.now, mid, lid, ack))
            .expect_err("the model says this ack fails");
        assert!(codes.contains(&err.code()), "expected {codes:?}, got {err:?}");
        assert_eq!(self.snapshot(), before, "a failed ack changed storage");
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Send { sender, receiver, body: b, client_time, delay } => {
                self.send(sender, receiver, b, client_time, delay)
            }
            Op::Fetch { receiver, lease } => self.fetch(receiver, lease),
            Op::AckCurrent { pick, confirm, retry_delay } => {
                self.ack_current(pick, confirm, retry_delay)
            }
            Op::AckStale { pick, confirm } => self.ack_stale(pick, confirm),
            Op::AckRandom { pick, lid } => self.ack_random(pick, lid),
            Op::Advance(ms) => self.now += ms,
            Op::Jump { pick, delta } => self.jump(pick, delta),
            Op::Reenqueue => self.reenqueue(),
        }
    }

    fn send(
        &mut self,
        sender: usize,
        receiver: usize,
        b: usize,
        client_time: Option<usize>,
        delay: i64,
    ) {
        let req = SendRequest {
            sender: SENDERS[sender].into(),
            receiver: MAILBOXES[receiver].into(),
            delay,
            client_time: client_time.map(|i| T0 - 1_000 * (i as i64 + 1)),
            body: body(BODIES[b]),
            ttl: 0,
        };
        let before = self.snapshot();
        let receipt = run(self.server.send(self.now, req)).expect("a valid send");
        let known =
            client_time.and_then(|ct| self.identities.get(&(sender, receiver, b, ct)).copied());
        let duplicate = match known {
            Some(mid) => {
                assert_eq!(receipt.mid, mid, "the same send got another mid");
                let m = self.current(&mid).unwrap();
                m.pending() || self.now < m.dedupe_until
            }
            None => {
                assert!(self.current(&receipt.mid).is_none(), "two different sends share a mid");
                if let Some(ct) = client_time {
                    self.identities.insert((sender, receiver, b, ct), receipt.mid);
                }
                false
            }
        };
        assert_eq!(receipt.duplicate, duplicate);
        if duplicate {
            assert_eq!(self.snapshot(), before, "a duplicate send changed storage");
            return;
        }
        self.msgs.push(Msg {
            mid: receipt.mid,
            receiver,
            received_at: self.now,
            send_when: self.now + delay,
            due: self.now + delay,
            lease: None,
            stale_lids: Vec::new(),
            status: Status::NotDelivered,
            delivery_count: 0,
            confirmed_at: None,
            dedupe_until: 0,
        });
    }

    fn fetch(&mut self, receiver: usize, lease: i64) {
        let now = self.now;
        let got =
            run(self.server.fetch_latest(now, MAILBOXES[receiver], Some(lease))).expect("fetch");
        let due: Vec<usize> = (0..self.msgs.len())
            .filter(|&i| {
                let m = &self.msgs[i];
                m.pending() && m.receiver == receiver && m.due_at() <= now
            })
            .collect();
        let Some(msg) = got else {
            assert!(due.is_empty(), "nothing delivered although {} messages are due", due.len());
            return;
        };
        let earliest = due.iter().map(|&i| self.msgs[i].due_at()).min();
        let Some(&i) = due.iter().find(|&&i| self.msgs[i].mid == msg.mid) else {
            panic!(
                "delivered {:?}, which is not due (leased, delayed, confirmed or unknown)",
                msg.mid
            );
        };
        let m = &mut self.msgs[i];
        assert_eq!(Some(m.due_at()), earliest, "not the earliest due message");
        assert_eq!(msg.status, m.status_at(now));
        assert_eq!(msg.delivery_count, m.delivery_count + 1);
        assert_eq!((msg.received_at, msg.send_when), (m.received_at, m.send_when));
        assert_eq!(msg.leased_until, now + lease);
        assert!(msg.leased);
        let delivered = msg.body.expect("a delivered body");
        assert_eq!(delivered.get("receiver"), Some(MAILBOXES[receiver]));
        let lid = msg.lid.expect("a lid");
        assert!(self.lids.insert(lid.clone()), "a lid was issued twice");

        if let Some(old) = m.lease.take() {
            m.status = Status::Timeout;
            m.stale_lids.push(old.lid);
        }
        m.delivery_count += 1;
        m.lease = Some(Lease { lid, until: now + lease, released: false });
    }

    fn ack_current(&mut self, pick: usize, confirm: bool, retry_delay: i64) {
        let held: Vec<usize> =
            (0..self.msgs.len()).filter(|&i| self.msgs[i].lease.is_some()).collect();
        if held.is_empty() {
            return;
        }
        let i = held[pick % held.len()];
        let now = self.now;
        let (mid, lease) = (self.msgs[i].mid, self.msgs[i].lease.clone().unwrap());
        let ack = if confirm { Ack::Confirmed } else { Ack::Rejected { retry_delay } };
        if lease.released {
            self.failing_ack(&mid, &lease.lid, ack, &["lease_expired", "lock_mismatch"]);
        } else if now > lease.until {
            self.failing_ack(&mid, &lease.lid, ack, &["lease_expired"]);
        } else {
            run(self.server.ack(now, &mid, &lease.lid, ack))
                .expect("the holder of a valid lease acks");
            let m = &mut self.msgs[i];
            m.lease = None;
            m.stale_lids.push(lease.lid);
            if confirm {
                m.confirmed_at = Some(now);
                m.dedupe_until = if self.window > 0 { lease.until + self.window } else { now };
            } else {
                m.status = Status::Rejected;
                m.due = now + retry_delay;
            }
        }
    }

    fn ack_stale(&mut self, pick: usize, confirm: bool) {
        let stale: Vec<(Key, &String)> =
            self.msgs.iter().flat_map(|m| m.stale_lids.iter().map(|l| (m.mid, l))).collect();
        if stale.is_empty() {
            return;
        }
        let (mid, lid) = stale[pick % stale.len()];
        let expect =
            if self.current(&mid).unwrap().pending() { "lock_mismatch" } else { "not_found" };
        let ack = if confirm { Ack::Confirmed } else { Ack::Rejected { retry_delay: 0 } };
        self.failing_ack(&mid, lid, ack, &[expect]);
    }

    fn ack_random(&mut self, pick: usize, lid: u128) {
        let lid = format!("{lid:032x}");
        let unknown = Key::of(b"never sent");
        let mid = self.msgs.get(pick % (self.msgs.len() + 1)).map_or(unknown, |m| m.mid);
        let expect = match self.current(&mid) {
            Some(m) if m.pending() => "lock_mismatch",
            _ => "not_found",
        };
        self.failing_ack(&mid, &lid, Ack::Confirmed, &[expect]);
    }

    fn jump(&mut self, pick: usize, delta: i64) {
        let mut instants: Vec<i64> = self
            .msgs
            .iter()
            .flat_map(|m| match (&m.lease, m.confirmed_at) {
                (_, Some(_)) => vec![m.dedupe_until],
                (Some(l), None) => vec![l.until, m.send_when],
                (None, None) => vec![m.due],
            })
            .filter(|&t| t + delta > self.now)
            .collect();
        instants.sort_unstable();
        instants.dedup();
        if let Some(&t) = instants.get(pick % instants.len().max(1)) {
            self.now = t + delta;
        }
    }

    fn reenqueue(&mut self) {
        let now = self.now;
        let mut expired = 0;
        for m in &mut self.msgs {
            if let Some(l) = m.lease.as_mut().filter(|l| !l.released && l.until < now) {
                l.released = true;
                m.status = Status::Timeout;
                expired += 1;
            }
        }
        assert_eq!(run(self.server.reenqueue(now)).unwrap(), expired);
        // Every confirmed record whose window has closed is gone.
        for key in self.snapshot().keys() {
            if let Some(mid) = layout::parse_message_key(key) {
                let m = self.current(&mid).unwrap();
                assert!(m.pending() || now < m.dedupe_until, "{key} not collected");
            }
        }
    }

    /// Compares everything observable without changing anything.
    fn check(&self) {
        let now = self.now;
        for (r, mailbox) in MAILBOXES.iter().enumerate() {
            let listed =
                run(self.server.fetch_headers(now, mailbox, Cursor::default(), usize::MAX))
                    .unwrap();
            let mut want: Vec<&Msg> =
                self.msgs.iter().filter(|m| m.pending() && m.receiver == r).collect();
            assert_eq!(listed.len(), want.len(), "listing of {mailbox}: {listed:?}");
            assert!(
                listed.windows(2).all(|w| w[0].received_at <= w[1].received_at),
                "oldest first"
            );
            want.sort_by_key(|m| m.received_at);
            for got in &listed {
                let m = want
                    .iter()
                    .find(|m| m.mid == got.mid)
                    .unwrap_or_else(|| panic!("{got:?} listed"));
                assert_eq!(got.lid, None);
                assert_eq!(got.body, None);
                assert_eq!(got.receiver, *mailbox);
                assert_eq!((got.received_at, got.send_when), (m.received_at, m.send_when));
                assert_eq!(got.delivery_count, m.delivery_count, "{got:?}");
                assert_eq!(got.leased, m.leased_at(now), "{got:?}");
                assert_eq!(got.status, m.status_at(now), "{got:?}");
            }
        }

        let snapshot = self.snapshot();
        let pending: Vec<&Msg> = self.msgs.iter().filter(|m| m.pending()).collect();
        for m in &pending {
            let bytes = snapshot.get(&layout::message(&m.mid));
            let rec = Record::decode(bytes.unwrap_or_else(|| panic!("the record of {} is gone", m.mid)))
                .unwrap();
            assert_eq!(Key::of(&rec.body), m.mid, "the record of {} holds another body", m.mid);
            assert_eq!(rec.refs, 1, "refcount of {}", m.mid);
            let mailbox = MAILBOXES[m.receiver];
            assert!(snapshot.contains_key(&layout::visible(mailbox, m.due_at(), &m.mid)), "delivery entry of {}", m.mid);
            assert!(snapshot.contains_key(&layout::received(mailbox, m.received_at, &m.mid)), "listing entry of {}", m.mid);
        }
        for key in snapshot.keys() {
            if let Some(mid) = layout::parse_message_key(key) {
                assert!(self.current(&mid).is_some(), "{key} from nowhere");
            }
        }
        // One delivery entry and one listing entry per pending message, nothing else.
        let count = |p: char| snapshot.keys().filter(|k| k.starts_with(p)).count();
        assert_eq!(count('d'), pending.len(), "delivery index");
        assert_eq!(count('r'), pending.len(), "listing index");
        assert_eq!(snapshot.len(), count('d') + count('r') + count('m'), "unknown keys");
    }

    /// After the run: every pending message is delivered exactly once, then
    /// storage empties once the dedupe windows close.
    fn drain(&mut self) {
        self.now += 2 * SPAN + 2;
        let mut pending: HashSet<Key> =
            self.msgs.iter().filter(|m| m.pending()).map(|m| m.mid).collect();
        for mailbox in MAILBOXES {
            while let Some(msg) =
                run(self.server.fetch_latest(self.now, mailbox, Some(1_000))).unwrap()
            {
                assert!(pending.remove(&msg.mid), "{:?} delivered twice or after confirm", msg.mid);
                let lid = msg.lid.as_deref().unwrap();
                run(self.server.ack(self.now, &msg.mid, lid, Ack::Confirmed)).unwrap();
            }
        }
        assert!(pending.is_empty(), "lost: {pending:?}");
        // The last confirms happened under 1 s leases: their windows close 1 s later.
        run(self.server.reenqueue(self.now + 1_000 + self.window)).unwrap();
        let left: Vec<String> = self.snapshot().into_keys().collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_match_the_model(seed in any::<u64>(), window in 0..3usize, ops in ops()) {
        let mut world = World::new(seed, WINDOWS[window]);
        world.check();
        for op in &ops {
            world.apply(op);
            world.check();
        }
        world.drain();
    }
}
