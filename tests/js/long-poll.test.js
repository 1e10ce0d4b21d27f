// Long polling (`wait`) on fetchLatest, fetchBatch and handle's POST …/fetch:
// a send wakes the waiter, a delayed message coming due wakes it, nothing
// coming lets it go at its deadline; many waiters each get a different
// message or nothing; storage reads while waiting are bounded by wake-ups.
// A fake clock and fake timers drive it all: nothing here depends on real time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { fakeTimers, until } from "./support/timers.js";
import { rejectsWithCode } from "./support/errors.js";

function setup(options = {}) {
  const time = fakeClock();
  const timers = fakeTimers(time.now);
  const server = new Server({ ...options, clock: time.clock, timers });
  const send = (body = {}, more = {}) => server.send({ sender: "ann", receiver: "bob", body, ...more });
  return { server, time, timers, send };
}

/** A promise's state without waiting for it. */
function track(promise) {
  const state = { settled: false, value: undefined };
  promise.then((v) => Object.assign(state, { settled: true, value: v }));
  return state;
}

test("a send to the mailbox wakes a waiting fetchLatest at once", async () => {
  const { server, timers, send } = setup();
  const waiting = track(server.fetchLatest("bob", { wait: "10s" }));
  await until(() => timers.count() === 1);
  assert.deepEqual(timers.delays(), [10_000], "it sleeps until its deadline: nothing is pending");
  await server.send({ sender: "ann", receiver: "eve", body: {} });
  await until(() => timers.count() === 1);
  assert.strictEqual(waiting.settled, false, "a send to another mailbox does not release it");
  const { mid } = await send({ n: 1 });
  await until(() => waiting.settled);
  assert.strictEqual(waiting.value.mid, mid);
  assert.strictEqual(timers.count(), 0, "its timer was cleared");
});

test("a delayed message coming due wakes the waiter: it sleeps until the core's next due time", async () => {
  const { server, time, timers, send } = setup();
  const { mid } = await send({ n: 1 }, { delay: "3s" });
  const waiting = track(server.fetchLatest("bob", { wait: "20s", lease: "1m" }));
  await until(() => timers.count() === 1);
  assert.deepEqual(timers.delays(), [3_000]);
  time.advance(3_000);
  timers.fireDue();
  await until(() => waiting.settled);
  assert.strictEqual(waiting.value.mid, mid);
  assert.strictEqual(waiting.value.leasedUntil, time.now() + 60_000);
});

test("a lease running out wakes a waiter too (its delivery entry comes due)", async () => {
  const { server, time, timers, send } = setup();
  await send();
  const first = await server.fetchLatest("bob", { lease: 500 });
  const waiting = track(server.fetchLatest("bob", { wait: "5s" }));
  await until(() => timers.count() === 1);
  assert.deepEqual(timers.delays(), [501]);
  time.advance(501);
  timers.fireDue();
  await until(() => waiting.settled);
  assert.strictEqual(waiting.value.mid, first.mid);
  assert.strictEqual(waiting.value.deliveryCount, 2);
});

test("nothing comes: null after wait, [] for fetchBatch; a timer firing early just sleeps again", async () => {
  const { server, time, timers } = setup();
  const waiting = track(server.fetchLatest("bob", { wait: 5_000 }));
  await until(() => timers.count() === 1);
  time.advance(2_000);
  timers.fireAll(); // the host's timer fires before the injected clock reached the deadline
  await until(() => timers.count() === 1);
  assert.deepEqual(timers.delays(), [3_000], "it sleeps for what is left by the clock");
  assert.strictEqual(waiting.settled, false);
  time.advance(3_000);
  timers.fireDue();
  await until(() => waiting.settled);
  assert.strictEqual(waiting.value, null);

  const batch = track(server.fetchBatch("bob", { max: 10, wait: "1s" }));
  await until(() => timers.count() === 1);
  time.advance(1_000);
  timers.fireDue();
  await until(() => batch.settled);
  assert.deepEqual(batch.value, []);
});

test("wait 0 or absent answers at once; outside 0 … 20 s is out_of_range before anything is read", async () => {
  const { server, timers } = setup();
  assert.strictEqual(await server.fetchLatest("bob", { wait: 0 }), null);
  assert.deepEqual(await server.fetchBatch("bob", { max: 2 }), []);
  assert.strictEqual(timers.count(), 0);
  await rejectsWithCode(server.fetchLatest("bob", { wait: 20_001 }), "out_of_range");
  await rejectsWithCode(server.fetchLatest("bob", { wait: -1 }), "out_of_range");
  await rejectsWithCode(server.fetchBatch("bob", { wait: "21s" }), "out_of_range");
  await rejectsWithCode(server.fetchLatest("bob", { wait: "soon" }), "invalid_duration");
});

test("many waiters on one mailbox: each message goes to exactly one of them, the rest get nothing", async () => {
  const { server, time, timers } = setup();
  const waiters = Array.from({ length: 6 }, () => track(server.fetchLatest("bob", { wait: "10s" })));
  await until(() => timers.count() === 6);
  const receipts = await server.sendBatch([1, 2, 3].map((n) => ({ sender: "ann", receiver: "bob", body: { n } })));
  await until(() => waiters.filter((w) => w.settled).length === 3 && timers.count() === 3);
  time.advance(10_000);
  timers.fireDue();
  await until(() => waiters.every((w) => w.settled));
  const got = waiters.map((w) => w.value?.mid).filter(Boolean).sort();
  assert.deepEqual(got, receipts.map((r) => r.mid).sort(), "each message once");
  assert.strictEqual(waiters.filter((w) => w.value === null).length, 3);
});

test("storage reads while waiting are bounded by wake-ups: none between them", async () => {
  const inner = memoryStorage();
  // Reads of bob's delivery index: what a waiter on bob does (sends to eve never list it).
  let reads = 0;
  const storage = {
    get: (k) => inner.get(k),
    list: (o) => (o.prefix.startsWith("dbob/") && reads++, inner.list(o)),
    write: (b) => inner.write(b),
  };
  const { server, time, timers } = setup({ storage });
  const waiting = track(server.fetchLatest("bob", { wait: "20s" }));
  await until(() => timers.count() === 1);
  assert.strictEqual(reads, 2, "one fetch and one next-due read before it sleeps");
  for (let i = 0; i < 50; i++) await server.send({ sender: "ann", receiver: "eve", body: { i } });
  time.advance(10_000);
  assert.strictEqual(reads, 2, "no read while it sleeps, whatever else happens");
  timers.fireAll(); // an early wake-up: one more fetch and next-due read
  await until(() => timers.count() === 1);
  assert.strictEqual(reads, 4);
  time.advance(10_000);
  timers.fireDue();
  await until(() => waiting.settled);
  assert.strictEqual(reads, 5, "the last wake-up: one fetch, then the deadline");
  assert.strictEqual(waiting.value, null);
});

test("a reject makes the message due again and wakes a waiter", async () => {
  const { server, timers, send } = setup();
  await send();
  const m = await server.fetchLatest("bob", { lease: "1m" });
  const waiting = track(server.fetchLatest("bob", { wait: "10s" }));
  await until(() => timers.count() === 1);
  await server.ack(m.mid, m.lid, "rejected");
  await until(() => waiting.settled);
  assert.strictEqual(waiting.value.mid, m.mid);
});

test("handle holds POST …/fetch with wait until a send, and answers 204 when the wait passes", async () => {
  const { server, time, timers, send } = setup();
  const form = (fields) => new Request("http://q.test/fetch", { method: "POST", body: new URLSearchParams(fields) });
  const held = track(server.handle(form({ receiver: "bob", wait: "5s" })));
  await until(() => timers.count() === 1);
  const { mid } = await send({ n: 1 });
  await until(() => held.settled);
  assert.strictEqual(held.value.status, 200);
  assert.strictEqual(new URLSearchParams(await held.value.text()).get("mid"), mid);

  const empty = track(server.handle(form({ receiver: "bob", wait: "2s" })));
  await until(() => timers.count() === 1);
  time.advance(2_000);
  timers.fireDue();
  await until(() => empty.settled);
  assert.strictEqual(empty.value.status, 204);

  const batch = track(server.handle(new Request("http://q.test/fetch", {
    method: "POST", headers: { accept: "application/json" }, body: new URLSearchParams({ receiver: "bob", max: "5", wait: "2s" }),
  })));
  await until(() => timers.count() === 1);
  const sent = await server.sendBatch([{ sender: "a", receiver: "bob", body: { x: 1 } }, { sender: "a", receiver: "bob", body: { x: 2 } }]);
  await until(() => batch.settled);
  const list = await batch.value.json();
  assert.ok(list.length >= 1 && list.every((m) => sent.some((r) => r.mid === m.mid)), "the waiting batch fetch got what came");
  const emptyBatch = track(server.handle(new Request("http://q.test/fetch", {
    method: "POST", headers: { accept: "application/json" }, body: new URLSearchParams({ receiver: "nobody", max: "5", wait: "1s" }),
  })));
  await until(() => timers.count() === 1);
  time.advance(1_000);
  timers.fireDue();
  await until(() => emptyBatch.settled);
  assert.deepEqual([emptyBatch.value.status, await emptyBatch.value.json()], [200, []]);

  const plain = await server.handle(form({ receiver: "bob" }));
  assert.ok([200, 204].includes(plain.status), "without wait it answers at once");
  assert.strictEqual(timers.count(), 0);
});

test("a send or a reject over handle wakes waiters as the methods do; a fetch or a confirm does not", async () => {
  const { server, timers } = setup();
  const post = (route, fields) => server.handle(new Request(`http://q.test/${route}`, { method: "POST", body: new URLSearchParams(fields) }));
  const waiting = track(server.fetchLatest("bob", { wait: "10s" }));
  await until(() => timers.count() === 1);
  assert.strictEqual((await post("send", { sender: "ann", receiver: "bob", k: "v" })).status, 200);
  await until(() => waiting.settled);
  const m = waiting.value;
  assert.ok(m);

  const again = track(server.fetchLatest("bob", { wait: "10s" }));
  await until(() => timers.count() === 1);
  const sleeps = timers.total();
  assert.strictEqual((await post("fetch", { receiver: "eve" })).status, 204);
  assert.strictEqual((await post("send", { sender: "ann", receiver: "eve" })).status, 200);
  await until(() => timers.count() === 1);
  assert.strictEqual(timers.total(), sleeps, "not woken: it still sleeps its first sleep");
  assert.strictEqual((await post("ack", { mid: m.mid, lid: m.lid, statusCode: "2" })).status, 200);
  await until(() => again.settled);
  assert.strictEqual(again.value.mid, m.mid, "the rejected message went to the waiter");
});

test("a signal ends the wait at once with null or [], leasing nothing; an aborted one fetches nothing; a non-signal is bad_request", async () => {
  const { server, timers, send } = setup();
  const stop = new AbortController();
  const latest = track(server.fetchLatest("bob", { wait: "10s", signal: stop.signal }));
  const batch = track(server.fetchBatch("bob", { max: 5, wait: "10s", signal: stop.signal }));
  await until(() => timers.count() === 2);
  stop.abort();
  await until(() => latest.settled && batch.settled);
  assert.strictEqual(latest.value, null);
  assert.deepEqual(batch.value, []);
  assert.strictEqual(timers.count(), 0, "their timers were cleared");
  await send({ n: 1 });
  assert.strictEqual((await server.stats("bob")).ready, 1, "the send found no waiter to take it");
  assert.strictEqual(await server.fetchLatest("bob", { signal: stop.signal }), null, "an aborted signal: no fetch at all");
  assert.deepEqual(await server.fetchBatch("bob", { wait: "1s", signal: stop.signal }), []);
  assert.strictEqual((await server.stats("bob")).ready, 1);
  await rejectsWithCode(server.fetchLatest("bob", { wait: "1s", signal: { aborted: false } }), "bad_request");
  const live = new AbortController();
  assert.ok(await server.fetchLatest("bob", { wait: "1s", signal: live.signal }), "a signal never aborted changes nothing");
});

test("handle: a POST …/fetch held for a request whose signal aborts answers 204 and leases nothing", async () => {
  const { server, timers, send } = setup();
  const gone = new AbortController();
  const request = new Request("http://q.test/api/fetch", {
    method: "POST", signal: gone.signal,
    headers: { "content-type": "application/x-www-form-urlencoded" }, body: "receiver=bob&wait=10s",
  });
  const held = track(server.handle(request));
  await until(() => timers.count() === 1);
  gone.abort();
  await until(() => held.settled);
  assert.strictEqual(held.value.status, 204);
  await send({ n: 1 });
  assert.strictEqual((await server.stats("bob")).ready, 1);
});
