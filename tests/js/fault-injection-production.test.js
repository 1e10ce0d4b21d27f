// Storage failures at every single call of a workload of the production
// operations (batches, extend, cancel, peek, stats, dead letters, redrive,
// ttl, purge, long poll): the operation a fault hits fails with `storage` and
// leaves the store exactly as it was; its retry succeeds; the run ends with
// the answers and the store of a run without faults.
import { test } from "node:test";
import assert from "node:assert/strict";
import { plain, runWorkload, checkEveryFault } from "./support/fault-workload.js";

const item = (n, more = {}) => ({ sender: "ann", receiver: "bob", clientTime: n, body: { n }, ...more });

/** @type {import("./support/fault-workload.js").Step[]} */
const steps = [
  ["sendBatch b1 b2 b3", async (s, _, ctx) => (ctx.sent = await s.sendBatch([item(1), item(2), item(3, { delay: 50 })]))],
  ["sendBatch with a duplicate", (s) => s.sendBatch([item(1), item(6, { receiver: "eve" })])],
  ["stats", (s) => s.stats("bob")],
  ["peek", (s) => s.peek("bob", { limit: 5 })],
  ["fetchBatch 2", async (s, _, ctx) => (ctx.batch = await s.fetchBatch("bob", { max: 2, lease: 500 })).map(plain)],
  ["extend the first", (s, _, ctx) => s.extend(ctx.batch[0].mid, ctx.batch[0].lid, { lease: 1000 })],
  ["ackBatch confirm + reject + bad lid", (s, _, ctx) => s.ackBatch([
    { mid: ctx.batch[0].mid, lid: ctx.batch[0].lid, status: "confirmed" },
    { mid: ctx.batch[1].mid, lid: ctx.batch[1].lid, status: "rejected" },
    { mid: ctx.batch[1].mid, lid: "f".repeat(32), status: "confirmed" },
  ])],
  ["cancel b3 (delayed)", (s, _, ctx) => s.cancel("bob", ctx.sent[2].mid)],
  ["cancel b3 again", (s, _, ctx) => s.cancel("bob", ctx.sent[2].mid)],
  ["fetch b2 again", async (s, _, ctx) => plain((ctx.x = await s.fetchLatest("bob", { lease: 500 })))],
  ["its lease runs out at the limit: dead", (s, time, ctx) => (time.set(ctx.t0 + 501), s.fetchLatest("bob"))],
  ["dead letters", (s) => s.fetchHeaders("bob", { status: "dead" })],
  ["stats with a dead one", (s) => s.stats("bob")],
  ["redrive", (s) => s.redrive("bob")],
  ["long-poll fetch finds it at once", async (s, _, ctx) => plain((ctx.y = await s.fetchLatest("bob", { wait: "1s" })))],
  ["confirm it", (s, _, ctx) => s.ack(ctx.y.mid, ctx.y.lid, "confirmed")],
  ["send b4 with a ttl", (s) => s.send(item(4, { ttl: 100 }))],
  ["b4 expired: dead, never delivered", (s, time, ctx) => (time.set(ctx.t0 + 700), s.fetchBatch("bob", { max: 5 }))],
  ["purge the dead", (s) => s.purge("bob", { status: "dead" })],
  ["send b5", (s) => s.send(item(5))],
  ["purge everything", (s) => s.purge("bob")],
  ["purge eve", (s) => s.purge("eve")],
  ["stats at the end", (s) => s.stats("bob")],
  ["collect after the windows", (s, time, ctx) => (time.set(ctx.t0 + 1_000_000), s.reenqueue())],
];

const run = (/** @type {number} */ failAt) => runWorkload(steps, failAt, { server: { maxDeliveries: 2 } });

test("without faults the production workload behaves as the queue should", async () => {
  const { answers, failures, final } = await run(Infinity);
  const at = Object.fromEntries(answers);
  assert.deepStrictEqual(failures, []);
  assert.deepStrictEqual(at["sendBatch with a duplicate"].map((r) => r.duplicate), [true, false]);
  assert.deepStrictEqual(at.stats, { ready: 2, delayed: 1, leased: 0, dead: 0, bytes: at.stats.bytes, oldestReady: at.stats.oldestReady });
  assert.deepStrictEqual(at["ackBatch confirm + reject + bad lid"].map((r) => r.ok || r.code), [true, true, "lock_mismatch"]);
  assert.deepStrictEqual(at["cancel b3 (delayed)"], { cancelled: true });
  assert.deepStrictEqual(at["cancel b3 again"], { cancelled: false });
  assert.strictEqual(at["its lease runs out at the limit: dead"], null);
  assert.strictEqual(at["dead letters"].length, 1);
  assert.strictEqual(at["stats with a dead one"].dead, 1);
  assert.deepStrictEqual(at.redrive, { moved: 1 });
  assert.strictEqual(at["long-poll fetch finds it at once"].deliveryCount, 1);
  assert.deepStrictEqual(at["b4 expired: dead, never delivered"], []);
  assert.deepStrictEqual(at["purge the dead"], { deleted: 1 });
  assert.deepStrictEqual(at["purge everything"], { deleted: 1 });
  assert.deepStrictEqual(at["purge eve"], { deleted: 1 });
  assert.deepStrictEqual(at["stats at the end"], { ready: 0, delayed: 0, leased: 0, dead: 0, bytes: 0, oldestReady: null });
  assert.deepStrictEqual(final, [], "nothing left behind");
});

test("a fault at any call of the production operations changes nothing, and the retried run ends the same", async (t) => {
  t.diagnostic(`${await checkEveryFault(run)} fault positions checked`);
});
