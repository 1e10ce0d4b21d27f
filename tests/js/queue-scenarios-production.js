/**
 * The production features as queue scenarios, run over every backend with
 * the base suite (queue-scenarios.js calls this): extend, batches, cancel,
 * peek, stats, dead letters and redrive, retry back-off, ttl and retention,
 * purge, and long polling. Time is a fake clock and the long poll's timers
 * are fake (support/timers.js); nothing here sleeps.
 *
 * @module
 */
import { fakeClock } from "./support/clock.js";
import { fakeTimers, until } from "./support/timers.js";

/**
 * @param {string} name prefix of every test name
 * @param {(options: object) => any} makeServer a Server on a fresh store with these options
 * @param {{ test: Function, assert: any }} harness
 */
export function productionScenarios(name, makeServer, { test, assert }) {
  /**
   * @param {string} title
   * @param {object} options Server options besides clock and timers
   * @param {(server: any, time: ReturnType<typeof fakeClock>, timers: ReturnType<typeof fakeTimers>) => Promise<void>} body
   */
  function scenario(title, options, body) {
    test(`${name}: ${title}`, async () => {
      const time = fakeClock();
      const timers = fakeTimers(time.now);
      const server = await makeServer({ ...options, clock: time.clock, timers });
      await body(server, time, timers);
    });
  }
  const send = (server, body = {}, more = {}) => server.send({ sender: "ann", receiver: "bob", body, ...more });
  const counts = (s) => [s.ready, s.delayed, s.leased, s.dead];

  scenario("extend keeps a slow consumer's lease, with the same lid", {}, async (server, time) => {
    const { mid } = await send(server, { job: 1 });
    const msg = await server.fetchLatest("bob", { lease: "10s" });
    time.advance(9_000);
    const { leasedUntil } = await server.extend(mid, msg.lid, { lease: "10s" });
    assert.strictEqual(leasedUntil, time.now() + 10_000);
    time.advance(9_000);
    assert.strictEqual(await server.fetchLatest("bob"), null, "redelivered while extended");
    await assert.rejects(server.extend(mid, "0".repeat(32), { lease: "1s" }), { code: "lock_mismatch" });
    await server.ack(mid, msg.lid, "confirmed");
    await assert.rejects(server.extend(mid, msg.lid, { lease: "1s" }), { code: "not_found" });
  });

  scenario("sendBatch, fetchBatch and ackBatch: input order, earliest due first, each ack alone", {}, async (server, time) => {
    const receipts = await server.sendBatch([0, 1, 2, 3].map((n) => ({ sender: "ann", receiver: "bob", delay: n, body: { n } })));
    assert.strictEqual(receipts.length, 4);
    await assert.rejects(server.sendBatch([{ sender: "ann", receiver: "bob" }, { sender: "ann", receiver: "" }]), { code: "invalid_mailbox" });
    time.advance(3);
    const got = await server.fetchBatch("bob", { max: 3, lease: "1m" });
    assert.deepStrictEqual(got.map((m) => m.mid), receipts.slice(0, 3).map((r) => r.mid));
    const results = await server.ackBatch([
      { mid: got[0].mid, lid: got[0].lid, status: "confirmed" },
      { mid: got[1].mid, lid: "f".repeat(32), status: "confirmed" },
      { mid: got[2].mid, lid: got[2].lid, status: "rejected" },
    ]);
    assert.deepStrictEqual(results.map((r) => r.ok || r.code), [true, "lock_mismatch", true]);
    const rest = await server.fetchBatch("bob", { max: 10 });
    assert.deepStrictEqual(rest.map((m) => m.mid).sort(), [receipts[2].mid, receipts[3].mid].sort());
    assert.deepStrictEqual(counts(await server.stats("bob")), [0, 0, 3, 0]);
  });

  scenario("cancel takes back a delayed or leased message; a later ack is not_found", {}, async (server) => {
    const later = await send(server, { n: 1 }, { delay: "1h" });
    const now = await send(server, { n: 2 });
    const lease = await server.fetchLatest("bob");
    assert.strictEqual(lease.mid, now.mid);
    assert.deepStrictEqual(await server.cancel("bob", later.mid), { cancelled: true });
    assert.deepStrictEqual(await server.cancel("bob", lease.mid), { cancelled: true });
    assert.deepStrictEqual(await server.cancel("bob", lease.mid), { cancelled: false });
    await assert.rejects(server.ack(lease.mid, lease.lid, "confirmed"), { code: "not_found" });
    assert.strictEqual(await server.fetchBlob(later.mid), null);
    assert.deepStrictEqual(await server.fetchHeaders("bob"), []);
  });

  scenario("peek shows what a fetch would take, changes nothing", {}, async (server) => {
    const { mid } = await send(server, { topic: "look" });
    await send(server, { n: 2 }, { delay: "1m" });
    const [seen, ...none] = await server.peek("bob", { limit: 5 });
    assert.strictEqual(seen.mid, mid);
    assert.strictEqual(seen.body.topic, "look");
    assert.strictEqual("lid" in seen, false);
    assert.deepStrictEqual(none, []);
    const msg = await server.fetchLatest("bob");
    assert.strictEqual(msg.deliveryCount, 1);
  });

  scenario("stats are exact: ready, delayed, leased, dead, bytes, oldestReady", { maxDeliveries: 1 }, async (server, time) => {
    assert.deepStrictEqual(await server.stats("bob"), { ready: 0, delayed: 0, leased: 0, dead: 0, bytes: 0, oldestReady: null });
    const t0 = time.now();
    await send(server, { n: 1 });
    time.advance(10);
    await send(server, { n: 2 });
    await send(server, { n: 3 }, { delay: "1m" });
    await send(server, { n: 4 });
    const m = await server.fetchLatest("bob", { lease: "1m" });
    await server.ack(m.mid, m.lid, "rejected");
    const s = await server.stats("bob");
    assert.deepStrictEqual(counts(s), [2, 1, 0, 1]);
    assert.strictEqual(s.oldestReady, t0 + 10);
    assert.ok(s.bytes > 0);
  });

  scenario("maxDeliveries: dead at the limit, listed with status dead, redriven with a fresh count", { maxDeliveries: 2 }, async (server, time) => {
    const { mid } = await send(server);
    const a = await server.fetchLatest("bob", { lease: "1s" });
    await server.ack(a.mid, a.lid, "rejected");
    await server.fetchLatest("bob", { lease: "1s" });
    time.advance(1_001);
    assert.strictEqual(await server.fetchLatest("bob"), null, "a dead message is never delivered");
    const dead = await server.fetchHeaders("bob", { status: "dead" });
    assert.deepStrictEqual(dead.map((h) => [h.mid, h.statusCode]), [[mid, 16]]);
    assert.strictEqual((await server.stats("bob")).dead, 1);
    assert.deepStrictEqual(await server.redrive("bob"), { moved: 1 });
    assert.deepStrictEqual(await server.redrive("bob"), { moved: 0 });
    const back = await server.fetchLatest("bob");
    assert.deepStrictEqual([back.mid, back.deliveryCount], [mid, 1]);
  });

  scenario("retryBackoff holds a rejected or timed-out message back, growing by factor", { retryBackoff: { initial: 1000, factor: 2, max: 3000 } }, async (server, time) => {
    await send(server);
    const a = await server.fetchLatest("bob", { lease: "1m" });
    await server.ack(a.mid, a.lid, "rejected");
    time.advance(999);
    assert.strictEqual(await server.fetchLatest("bob"), null);
    time.advance(1);
    await server.fetchLatest("bob", { lease: 10 }); // then times out: 2 s more
    time.advance(11 + 1_999);
    assert.strictEqual(await server.fetchLatest("bob"), null);
    time.advance(1);
    assert.strictEqual((await server.fetchLatest("bob"))?.deliveryCount, 3);
  });

  scenario("ttl and retention: an expired message is never delivered", { retention: "1h" }, async (server, time) => {
    await send(server, { n: 1 }, { ttl: "1m" });
    const { mid } = await send(server, { n: 2 });
    time.advance(60_001);
    const [only, ...none] = await server.fetchBatch("bob", { max: 10 });
    assert.strictEqual(only.mid, mid);
    assert.deepStrictEqual(none, []);
    await server.ack(only.mid, only.lid, "rejected");
    time.advance(3_600_000);
    assert.strictEqual(await server.fetchLatest("bob"), null, "past retention");
  });

  scenario("purge: only the dead, then everything, bodies released", { maxDeliveries: 1 }, async (server) => {
    const dead = await send(server, { n: 1 });
    const m = await server.fetchLatest("bob");
    await server.ack(m.mid, m.lid, "rejected");
    const kept = await send(server, { n: 2 });
    await send(server, { n: 3 }, { delay: "1h" });
    assert.deepStrictEqual(await server.purge("bob", { status: "dead" }), { deleted: 1 });
    assert.strictEqual(await server.fetchBlob(dead.mid), null);
    assert.strictEqual(typeof (await server.fetchBlob(kept.mid)), "string");
    assert.deepStrictEqual(await server.purge("bob"), { deleted: 2 });
    assert.deepStrictEqual(counts(await server.stats("bob")), [0, 0, 0, 0]);
  });

  scenario("long poll: a send wakes the waiter, a delay coming due wakes it, else null at the deadline", {}, async (server, time, timers) => {
    const woken = server.fetchLatest("bob", { wait: "10s" });
    await until(() => timers.count() === 1);
    const { mid } = await send(server, { n: 1 });
    assert.strictEqual((await woken).mid, mid);

    const later = await send(server, { n: 2 }, { delay: "3s" });
    const due = server.fetchLatest("bob", { wait: "10s" });
    await until(() => timers.count() === 1);
    assert.deepStrictEqual(timers.delays(), [3_000], "asleep until the message is due");
    time.advance(3_000);
    timers.fireDue();
    assert.strictEqual((await due).mid, later.mid);

    const nothing = server.fetchBatch("bob", { max: 5, wait: "2s" });
    await until(() => timers.count() === 1);
    time.advance(2_000);
    timers.fireDue();
    assert.deepStrictEqual(await nothing, []);
    await assert.rejects(server.fetchLatest("bob", { wait: "21s" }), { code: "out_of_range" });
  });

  scenario("long poll: many waiters, each message delivered to one of them", {}, async (server, time, timers) => {
    const waiting = Array.from({ length: 4 }, () => server.fetchLatest("bob", { wait: "5s" }));
    await until(() => timers.count() === 4);
    const receipts = await server.sendBatch([1, 2].map((n) => ({ sender: "ann", receiver: "bob", body: { n } })));
    await until(() => timers.count() === 2);
    time.advance(5_000);
    timers.fireDue();
    const got = (await Promise.all(waiting)).filter((m) => m !== null).map((m) => m.mid).sort();
    assert.deepStrictEqual(got, receipts.map((r) => r.mid).sort());
  });
}
