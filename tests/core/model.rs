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
use pandora_mq::{Ack, Config, Cursor, Key, MemoryStorage, SeededRandom, SendRequest, Server, Status};
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
        /// Time to live (0: none).
        ttl: i64,
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
    /// Renew a held lease (its own lid) for `lease` ms.
    Extend {
        pick: usize,
        lease: i64,
    },
    /// Cancel some message (or an unknown mid).
    Cancel {
        pick: usize,
    },
    /// `fetch_batch` of `max`.
    FetchBatch {
        receiver: usize,
        lease: i64,
        max: usize,
    },
    /// `send_batch` of two sends (possibly identical).
    SendBatch {
        receiver: usize,
        bodies: (usize, usize),
        client_time: Option<usize>,
    },
    Redrive {
        receiver: usize,
        limit: usize,
    },
    PurgeDead {
        receiver: usize,
    },
}

/// Operation sequences. Small durations and `Jump` make operations land on one
/// millisecond and on every boundary (a due time, a lease's last ms, a window's end).
fn ops() -> impl Strategy<Value = Vec<Op>> {
    let span = || prop_oneof![0..3i64, Just(10i64), Just(100i64), 0..SPAN];
    // Mostly none; else short, so expiries land before, on and after the other boundaries.
    let ttl = || prop_oneof![6 => Just(0i64), 1 => 1..3i64, 1 => Just(10i64), 2 => 1..SPAN];
    let op = prop_oneof![
        4 => (0..2usize, 0..3usize, 0..3usize, proptest::option::of(0..2usize), span(), ttl()).prop_map(
            |(sender, receiver, body, client_time, delay, ttl)| Op::Send {
                sender,
                receiver,
                body,
                client_time,
                delay,
                ttl,
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
        2 => (any::<usize>(), span()).prop_map(|(pick, l)| Op::Extend { pick, lease: l.max(1) }),
        1 => any::<usize>().prop_map(|pick| Op::Cancel { pick }),
        2 => (0..3usize, span(), 1..4usize).prop_map(|(receiver, l, max)| Op::FetchBatch { receiver, lease: l.max(1), max }),
        1 => (0..3usize, (0..3usize, 0..3usize), proptest::option::of(0..2usize))
            .prop_map(|(receiver, bodies, client_time)| Op::SendBatch { receiver, bodies, client_time }),
        1 => (0..3usize, 1..3usize).prop_map(|(receiver, limit)| Op::Redrive { receiver, limit }),
        1 => (0..3usize).prop_map(|receiver| Op::PurgeDead { receiver }),
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
    /// Dead: reached the delivery limit.
    dead: bool,
    /// Cancelled or purged: its record is gone.
    gone: bool,
    /// Until when an identical send is a duplicate after the confirm: its
    /// receive time plus the window (no window: none).
    dedupe_until: i64,
    /// When it expires (the earlier of its ttl and the retention; 0: never):
    /// from then on it is never delivered, only retired when an operation meets it.
    expires_at: i64,
}

impl Msg {
    fn pending(&self) -> bool {
        self.confirmed_at.is_none() && !self.dead && !self.gone
    }

    /// Still stored as a message (pending or dead): an identical send is a duplicate.
    fn stored(&self) -> bool {
        self.pending() || (self.dead && !self.gone)
    }

    /// When it is deliverable: a lease holds through `until`, inclusive.
    fn due_at(&self) -> i64 {
        match &self.lease {
            Some(l) => l.until + 1,
            None => self.due,
        }
    }

    fn expired(&self, now: i64) -> bool {
        self.expires_at != 0 && now >= self.expires_at
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
    /// `max_deliveries` (0: unlimited).
    limit: u32,
    /// The server's `retention` (0: forever).
    retention: i64,
    msgs: Vec<Msg>,
    identities: HashMap<(usize, usize, usize, usize), Key>,
    lids: HashSet<String>,
}

impl World {
    fn new(seed: u64, window: i64, limit: u32, retention: i64) -> World {
        let config = Config { dedupe_window: window, max_deliveries: limit, retention, ..Config::default() };
        World {
            server: Server::new(MemoryStorage::new(), SeededRandom::new(seed), config).unwrap(),
            now: T0,
            window,
            limit,
            retention,
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
        let err = run(self.server.ack(self.now, mid, lid, ack)).expect_err("the model says this ack fails");
        assert!(codes.contains(&err.code()), "expected {codes:?}, got {err:?}");
        assert_eq!(self.snapshot(), before, "a failed ack changed storage");
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Send { sender, receiver, body: b, client_time, delay, ttl } => {
                self.send(sender, receiver, b, client_time, delay, ttl)
            }
            Op::Fetch { receiver, lease } => self.fetch(receiver, lease),
            Op::AckCurrent { pick, confirm, retry_delay } => self.ack_current(pick, confirm, retry_delay),
            Op::AckStale { pick, confirm } => self.ack_stale(pick, confirm),
            Op::AckRandom { pick, lid } => self.ack_random(pick, lid),
            Op::Advance(ms) => self.now += ms,
            Op::Jump { pick, delta } => self.jump(pick, delta),
            Op::Reenqueue => self.reenqueue(),
            Op::Extend { pick, lease } => self.extend(pick, lease),
            Op::Cancel { pick } => self.cancel(pick),
            Op::FetchBatch { receiver, lease, max } => self.fetch_many(receiver, lease, max, max),
            Op::SendBatch { receiver, bodies, client_time } => self.send_batch(receiver, bodies, client_time),
            Op::Redrive { receiver, limit } => self.redrive(receiver, limit),
            Op::PurgeDead { receiver } => self.purge_dead(receiver),
        }
    }

    fn send(&mut self, sender: usize, receiver: usize, b: usize, client_time: Option<usize>, delay: i64, ttl: i64) {
        let req = SendRequest {
            sender: SENDERS[sender].into(),
            receiver: MAILBOXES[receiver].into(),
            delay,
            client_time: client_time.map(|i| T0 - 1_000 * (i as i64 + 1)),
            body: body(BODIES[b]),
            ttl,
        };
        let before = self.snapshot();
        let receipt = run(self.server.send(self.now, req)).expect("a valid send");
        if self.expect_receipt(sender, receiver, b, client_time, (delay, ttl), &receipt) {
            assert_eq!(self.snapshot(), before, "a duplicate send changed storage");
        }
    }

    /// Checks a receipt against the model and records a new message (sent
    /// with `delay` and `ttl`); returns whether it was a duplicate.
    fn expect_receipt(
        &mut self,
        sender: usize,
        receiver: usize,
        b: usize,
        client_time: Option<usize>,
        (delay, ttl): (i64, i64),
        receipt: &pandora_mq::Receipt,
    ) -> bool {
        let known = client_time.and_then(|ct| self.identities.get(&(sender, receiver, b, ct)).copied());
        let duplicate = match known {
            Some(mid) => {
                assert_eq!(receipt.mid, mid, "the same send got another mid");
                let m = self.current(&mid).unwrap();
                m.stored() || self.now < m.dedupe_until
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
            return true;
        }
        let lifetime = [ttl, self.retention].into_iter().filter(|&t| t > 0).min();
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
            dead: false,
            gone: false,
            dedupe_until: 0,
            expires_at: lifetime.map_or(0, |t| self.now + t),
        });
        false
    }

    fn fetch(&mut self, receiver: usize, lease: i64) {
        self.fetch_many(receiver, lease, 1, 2);
    }

    /// True when `m`'s lease ran out at the delivery limit: it dies when met.
    fn doomed(&self, m: &Msg) -> bool {
        self.limit > 0 && m.delivery_count >= self.limit && matches!(&m.lease, Some(l) if self.now > l.until)
    }

    fn kill(&mut self, i: usize) {
        let m = &mut self.msgs[i];
        m.dead = true;
        m.status = Status::Dead;
        if let Some(l) = m.lease.take() {
            m.stale_lids.push(l.lid);
        }
    }

    /// Retires the expired message `i`: dead when the server keeps dead letters
    /// (`max_deliveries` set), else dropped with its record.
    fn expire(&mut self, i: usize) {
        if self.limit > 0 {
            return self.kill(i);
        }
        let m = &mut self.msgs[i];
        m.gone = true;
        if let Some(l) = m.lease.take() {
            m.stale_lids.push(l.lid);
        }
    }

    /// A fetch that looks at the first `look` due entries of the mailbox (in
    /// index order: due time, then mid), retires the doomed ones it meets and
    /// leases up to `max` of the others.
    fn fetch_many(&mut self, receiver: usize, lease: i64, max: usize, look: usize) {
        let now = self.now;
        let got = if max == 1 && look == 2 {
            run(self.server.fetch_latest(now, MAILBOXES[receiver], Some(lease))).expect("fetch").into_iter().collect()
        } else {
            run(self.server.fetch_batch(now, MAILBOXES[receiver], max, Some(lease))).expect("fetch_batch")
        };
        let mut due: Vec<usize> = (0..self.msgs.len())
            .filter(|&i| {
                let m = &self.msgs[i];
                m.pending() && m.receiver == receiver && m.due_at() <= now
            })
            .collect();
        due.sort_by_key(|&i| (self.msgs[i].due_at(), self.msgs[i].mid));
        let mut want = Vec::new();
        for &i in due.iter().take(look) {
            if want.len() == max {
                break;
            }
            if self.msgs[i].expired(now) {
                self.expire(i);
            } else if self.doomed(&self.msgs[i]) {
                self.kill(i);
            } else {
                want.push(i);
            }
        }
        assert_eq!(
            got.iter().map(|m| m.mid).collect::<Vec<_>>(),
            want.iter().map(|&i| self.msgs[i].mid).collect::<Vec<_>>(),
            "delivered"
        );
        for (msg, &i) in got.into_iter().zip(&want) {
            let m = &mut self.msgs[i];
            assert!(!m.expired(now), "{} delivered at {now}, expired at {}", m.mid, m.expires_at);
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
    }

    fn send_batch(&mut self, receiver: usize, bodies: (usize, usize), client_time: Option<usize>) {
        let req = |b: usize| SendRequest {
            sender: SENDERS[0].into(),
            receiver: MAILBOXES[receiver].into(),
            client_time: client_time.map(|i| T0 - 1_000 * (i as i64 + 1)),
            body: body(BODIES[b]),
            ..Default::default()
        };
        let receipts =
            run(self.server.send_batch(self.now, vec![req(bodies.0), req(bodies.1)])).expect("a valid batch");
        for (b, receipt) in [bodies.0, bodies.1].into_iter().zip(&receipts) {
            self.expect_receipt(0, receiver, b, client_time, (0, 0), receipt);
        }
    }

    fn extend(&mut self, pick: usize, lease: i64) {
        let held: Vec<usize> = (0..self.msgs.len()).filter(|&i| self.msgs[i].lease.is_some()).collect();
        if held.is_empty() {
            return;
        }
        let i = held[pick % held.len()];
        let (mid, l) = (self.msgs[i].mid, self.msgs[i].lease.clone().unwrap());
        let before = self.snapshot();
        let result = run(self.server.extend(self.now, &mid, &l.lid, lease));
        if l.released || self.now > l.until {
            let code = result.expect_err("extend of a lease that ran out").code();
            assert!(["lease_expired", "lock_mismatch"].contains(&code), "{code}");
            assert_eq!(self.snapshot(), before, "a failed extend changed storage");
        } else {
            assert_eq!(result.expect("the holder extends"), self.now + lease);
            self.msgs[i].lease.as_mut().unwrap().until = self.now + lease;
        }
    }

    fn cancel(&mut self, pick: usize) {
        let unknown = (Key::of(b"never sent"), 0);
        let (mid, receiver) = self.msgs.get(pick % (self.msgs.len() + 1)).map_or(unknown, |m| (m.mid, m.receiver));
        let pending = self.current(&mid).is_some_and(Msg::pending);
        assert_eq!(run(self.server.cancel(self.now, MAILBOXES[receiver], &mid)).unwrap(), pending);
        if pending {
            let i = self.msgs.iter().rposition(|m| m.mid == mid).unwrap();
            let m = &mut self.msgs[i];
            m.gone = true;
            if let Some(l) = m.lease.take() {
                m.stale_lids.push(l.lid);
            }
        }
    }

    fn redrive(&mut self, receiver: usize, limit: usize) {
        let mut dead: Vec<usize> = (0..self.msgs.len())
            .filter(|&i| self.msgs[i].dead && !self.msgs[i].gone && self.msgs[i].receiver == receiver)
            .collect();
        dead.sort_by_key(|&i| (self.msgs[i].received_at, self.msgs[i].mid));
        dead.truncate(limit);
        assert_eq!(run(self.server.redrive(self.now, MAILBOXES[receiver], limit)).unwrap(), dead.len() as u64);
        for i in dead {
            let m = &mut self.msgs[i];
            (m.dead, m.status, m.delivery_count, m.due, m.lease) = (false, Status::NotDelivered, 0, self.now, None);
            // A fresh lifetime: its old expiry may be what made it dead.
            m.expires_at = 0;
        }
    }

    fn purge_dead(&mut self, receiver: usize) {
        let dead: Vec<usize> = (0..self.msgs.len())
            .filter(|&i| self.msgs[i].dead && !self.msgs[i].gone && self.msgs[i].receiver == receiver)
            .collect();
        let deleted = run(self.server.purge(self.now, MAILBOXES[receiver], pandora_mq::PurgeScope::Dead, 2)).unwrap();
        assert_eq!(deleted, dead.len() as u64);
        for i in dead {
            self.msgs[i].gone = true;
        }
    }

    fn ack_current(&mut self, pick: usize, confirm: bool, retry_delay: i64) {
        let held: Vec<usize> = (0..self.msgs.len()).filter(|&i| self.msgs[i].lease.is_some()).collect();
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
            run(self.server.ack(now, &mid, &lease.lid, ack)).expect("the holder of a valid lease acks");
            let m = &mut self.msgs[i];
            m.lease = None;
            m.stale_lids.push(lease.lid);
            if !confirm && self.limit > 0 && m.delivery_count >= self.limit {
                m.dead = true;
                m.status = Status::Dead;
            } else if confirm {
                m.confirmed_at = Some(now);
                m.dedupe_until = if self.window > 0 { m.received_at + self.window } else { now };
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
        let expect = if self.current(&mid).unwrap().pending() { "lock_mismatch" } else { "not_found" };
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
                (Some(l), None) => vec![l.until, m.send_when, m.expires_at],
                (None, None) => vec![m.due, m.expires_at],
            })
            .filter(|&t| t != 0)
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
        for i in 0..self.msgs.len() {
            let m = &self.msgs[i];
            if !m.pending() {
                continue;
            }
            let held = matches!(&m.lease, Some(l) if !l.released);
            let ran_out = matches!(&m.lease, Some(l) if !l.released && l.until < now);
            if held && !ran_out {
                // A valid lease is left alone, even on an expired message.
                continue;
            }
            if m.expired(now) {
                self.expire(i);
            } else if ran_out && self.limit > 0 && m.delivery_count >= self.limit {
                self.kill(i);
            } else if ran_out {
                let m = &mut self.msgs[i];
                m.lease.as_mut().unwrap().released = true;
                m.status = Status::Timeout;
                expired += 1;
            }
        }
        assert_eq!(run(self.server.reenqueue(now)).unwrap(), expired);
        // Every confirmed record whose window has closed is gone.
        for key in self.snapshot().keys() {
            if let Some(mid) = layout::parse_message_key(key) {
                let m = self.current(&mid).unwrap();
                assert!(m.stored() || now < m.dedupe_until, "{key} not collected");
            }
        }
    }

    /// Compares everything observable without changing anything.
    fn check(&self) {
        let now = self.now;
        for (r, mailbox) in MAILBOXES.iter().enumerate() {
            let listed = run(self.server.fetch_headers(now, mailbox, Cursor::default(), usize::MAX)).unwrap();
            // Listed: pending and not under a lease (one `reenqueue` released
            // after it ran out is listed again).
            let mut want: Vec<&Msg> = self
                .msgs
                .iter()
                .filter(|m| m.pending() && m.receiver == r)
                .filter(|m| m.lease.as_ref().is_none_or(|l| l.released))
                .collect();
            assert_eq!(listed.len(), want.len(), "listing of {mailbox}: {listed:?}");
            assert!(listed.windows(2).all(|w| w[0].received_at <= w[1].received_at), "oldest first");
            want.sort_by_key(|m| m.received_at);
            for got in &listed {
                let m = want.iter().find(|m| m.mid == got.mid).unwrap_or_else(|| panic!("{got:?} listed"));
                assert_eq!(got.lid, None);
                assert_eq!(got.body, None);
                assert_eq!(got.receiver, *mailbox);
                assert_eq!((got.received_at, got.send_when), (m.received_at, m.send_when));
                assert_eq!(got.delivery_count, m.delivery_count, "{got:?}");
                assert!(!got.leased, "{got:?}");
                assert_eq!(got.status, m.status_at(now), "{got:?}");
            }
        }

        let snapshot = self.snapshot();
        let pending: Vec<&Msg> = self.msgs.iter().filter(|m| m.pending()).collect();
        for m in &pending {
            let bytes = snapshot.get(&layout::message(&m.mid));
            let rec = Record::decode(bytes.unwrap_or_else(|| panic!("the record of {} is gone", m.mid))).unwrap();
            assert_eq!(Key::of(&rec.body), m.mid, "the record of {} holds another body", m.mid);
            assert_eq!(rec.refs, 1, "refcount of {}", m.mid);
            let mailbox = MAILBOXES[m.receiver];
            assert!(
                snapshot.contains_key(&layout::visible(mailbox, m.due_at(), &m.mid)),
                "delivery entry of {}",
                m.mid
            );
            assert!(
                snapshot.contains_key(&layout::received(mailbox, m.received_at, &m.mid)),
                "listing entry of {}",
                m.mid
            );
        }
        for key in snapshot.keys() {
            if let Some(mid) = layout::parse_message_key(key) {
                assert!(self.current(&mid).is_some(), "{key} from nowhere");
            }
        }
        // One delivery entry and one listing entry per pending message, one
        // dead-letter entry per dead one, nothing else.
        let count = |p: char| snapshot.keys().filter(|k| k.starts_with(p)).count();
        let dead: Vec<&Msg> = self.msgs.iter().filter(|m| m.dead && !m.gone).collect();
        assert_eq!(count('d'), pending.len(), "delivery index");
        assert_eq!(count('r'), pending.len(), "listing index");
        assert_eq!(count('x'), dead.len(), "dead letters");
        assert_eq!(snapshot.len(), count('d') + count('r') + count('m') + count('x'), "unknown keys");

        for (r, mailbox) in MAILBOXES.iter().enumerate() {
            // Dead letters: listed apart, never delivered (fetch checks that).
            let listed = run(self.server.fetch_dead(now, mailbox, Cursor::default(), usize::MAX)).unwrap();
            let mut want: Vec<Key> = dead.iter().filter(|m| m.receiver == r).map(|m| m.mid).collect();
            let mut got: Vec<Key> = listed.iter().map(|m| m.mid).collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "dead letters of {mailbox}");
            // Stats: exact counts against the model.
            let mine: Vec<&&Msg> = pending.iter().filter(|m| m.receiver == r).collect();
            let ready: Vec<i64> = mine.iter().map(|m| m.due_at()).filter(|&t| t <= now).collect();
            let leased = mine.iter().filter(|m| m.leased_at(now)).count() as u64;
            let stats = run(self.server.stats(now, mailbox)).unwrap();
            // The server counts from its mirror (kept since the first check);
            // a server new to the store scans it: both must agree.
            let scanning = Server::new(self.server.storage(), SeededRandom::new(0), Config::default()).unwrap();
            assert_eq!(run(scanning.stats(now, mailbox)).unwrap(), stats, "mirror vs scan of {mailbox}");
            assert_eq!(
                (stats.ready, stats.leased, stats.delayed, stats.dead, stats.oldest_ready),
                (
                    ready.len() as u64,
                    leased,
                    mine.len() as u64 - ready.len() as u64 - leased,
                    got.len() as u64,
                    ready.iter().min().copied()
                ),
                "stats of {mailbox}"
            );
            let bytes: u64 = mine
                .iter()
                .map(|m| m.mid)
                .chain(want.iter().copied())
                .map(|mid| run(self.server.fetch_blob(&mid)).unwrap().map_or(0, |b| b.len() as u64))
                .sum();
            assert_eq!(stats.bytes, bytes, "stored bytes of {mailbox}");
        }
    }

    /// After the run: every pending message is delivered exactly once, then
    /// storage empties once the dedupe windows close.
    fn drain(&mut self) {
        self.now += 2 * SPAN + 2;
        let now = self.now;
        let mut pending: HashSet<Key> =
            self.msgs.iter().filter(|m| m.pending() && !self.doomed(m) && !m.expired(now)).map(|m| m.mid).collect();
        for mailbox in MAILBOXES {
            loop {
                let got = run(self.server.fetch_batch(self.now, mailbox, 100, Some(1_000))).unwrap();
                for msg in &got {
                    assert!(pending.remove(&msg.mid), "{:?} delivered twice, after confirm, dead or expired", msg.mid);
                    let lid = msg.lid.as_deref().unwrap();
                    run(self.server.ack(self.now, &msg.mid, lid, Ack::Confirmed)).unwrap();
                }
                // A fetch that met only dead letters hands out nothing: go on while something is due.
                let more = run(self.server.next_due(mailbox)).unwrap().is_some_and(|t| t <= self.now);
                if got.is_empty() && !more {
                    break;
                }
            }
            run(self.server.purge(self.now, mailbox, pandora_mq::PurgeScope::All, 1_000)).unwrap();
        }
        assert!(pending.is_empty(), "lost: {pending:?}");
        // A confirmed record of a client mid waits for its window (from its receipt) to close.
        run(self.server.reenqueue(self.now + 1_000 + self.window)).unwrap();
        let left: Vec<String> = self.snapshot().into_keys().collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_match_the_model(
        seed in any::<u64>(),
        window in 0..3usize,
        limit in prop_oneof![Just(0u32), Just(2u32)],
        retention in prop_oneof![3 => Just(0i64), 1 => 1..SPAN],
        ops in ops(),
    ) {
        let mut world = World::new(seed, WINDOWS[window], limit, retention);
        world.check();
        for op in &ops {
            world.apply(op);
            world.check();
        }
        world.drain();
    }
}
