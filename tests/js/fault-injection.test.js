// Storage failures at every single call of a queue workload: for each N,
// faultyStorage(memoryStorage(), { failAt: N }) makes call N reject. The
// operation it hits must fail with code `storage` and leave the store exactly
// as it was; retrying it then succeeds, and the whole run ends in the same
// state with the same answers as a run without faults: no message is lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import { plain, runWorkload, checkEveryFault } from "./support/fault-workload.js";

const m1 = { sender: "ann", receiver: "bob", clientTime: 1, body: { n: "1" } };
const m2 = { sender: "ann", receiver: "bob", clientTime: 1, delay: 1000, body: { n: "2" } };
const m3 = { sender: "cat", receiver: "bob", clientTime: 2, body: { n: "3", tag: ["a", "b"] } };

/** The code of an expected queue error; storage errors are rethrown for the harness. */
const codeUnlessStorage = (/** @type {any} */ err) => {
  if (err?.code === "storage") throw err;
  return err?.code;
};

/** @type {import("./support/fault-workload.js").Step[]} */
const steps = [
  ["send m1", async (s, _, ctx) => (ctx.m1 = await s.send(m1))],
  ["send m2 (delayed)", (s) => s.send(m2)],
  ["send m1 again (duplicate)", (s) => s.send(m1)],
  ["headers", (s) => s.fetchHeaders("bob")],
  ["fetch m1", async (s, _, ctx) => plain((ctx.a = await s.fetchLatest("bob", { lease: 500 })))],
  ["reject m1", (s, _, ctx) => s.ack(ctx.a.mid, ctx.a.lid, "rejected")],
  ["fetch m1 again", async (s, _, ctx) => plain((ctx.a = await s.fetchLatest("bob", { lease: 500 })))],
  ["confirm m1", (s, _, ctx) => s.ack(ctx.a.mid, ctx.a.lid, "confirmed")],
  ["blob of m1 is gone", (s, _, ctx) => s.fetchBlob(ctx.m1.mid)],
  ["reenqueue with nothing expired", (s) => s.reenqueue()],
  ["fetch m2 when due", async (s, time, ctx) => (time.set(ctx.t0 + 1000), plain((ctx.b = await s.fetchLatest("bob", { lease: 500 }))))],
  ["fetch m2 after its lease ran out", async (s, time, ctx) => (time.set(ctx.t0 + 1501), plain((ctx.b = await s.fetchLatest("bob", { lease: 500 }))))],
  ["ack with the old lid fails", (s, _, ctx) => s.ack(ctx.b.mid, ctx.oldLid, "confirmed").then(() => "acked", codeUnlessStorage)],
  ["confirm m2", (s, _, ctx) => s.ack(ctx.b.mid, ctx.b.lid, "confirmed")],
  ["send m1 after the dedupe window", (s, time, ctx) => (time.set(ctx.t0 + 400_000), s.send(m1))],
  ["send m3", async (s, _, ctx) => (ctx.m3 = await s.send(m3))],
  ["blob of m3", (s, _, ctx) => s.fetchBlob(ctx.m3.mid)],
  ["fetch m1", async (s, _, ctx) => plain((ctx.c = await s.fetchLatest("bob")))],
  ["confirm m1 (sweeps old tombstones)", (s, _, ctx) => s.ack(ctx.c.mid, ctx.c.lid, "confirmed")],
  ["fetch m3", async (s, _, ctx) => plain((ctx.c = await s.fetchLatest("bob")))],
  ["confirm m3", (s, _, ctx) => s.ack(ctx.c.mid, ctx.c.lid, "confirmed")],
  ["nothing left", (s) => s.fetchLatest("bob")],
  ["no headers left", (s) => s.fetchHeaders("bob")],
  // Confirmed records (with their random lids) stay for their dedupe window;
  // collecting them leaves a store both runs agree on byte for byte.
  ["collect after the windows", (s, time, ctx) => (time.set(ctx.t0 + 1_000_000), s.reenqueue())],
];

/** The workload with storage call `failAt` failing; remembers the lid that goes stale. */
const run = (/** @type {number} */ failAt) =>
  runWorkload(steps, failAt, {
    afterStep: (label, ctx) => {
      if (label === "fetch m2 when due") ctx.oldLid = ctx.b.lid;
    },
  });

test("without faults the workload behaves as the queue should", async () => {
  const { answers, failures, calls } = await run(Infinity);
  const byLabel = Object.fromEntries(answers);
  assert.deepStrictEqual(failures, []);
  assert.ok(calls > 30, `only ${calls} storage calls`);
  assert.strictEqual(byLabel["send m1 again (duplicate)"].duplicate, true);
  assert.strictEqual(byLabel["fetch m1 again"].status, "rejected");
  assert.strictEqual(byLabel["blob of m1 is gone"], null);
  assert.strictEqual(byLabel["fetch m2 after its lease ran out"].status, "timeout");
  assert.strictEqual(byLabel["ack with the old lid fails"], "lock_mismatch");
  assert.strictEqual(byLabel["send m1 after the dedupe window"].duplicate, false);
  assert.strictEqual(byLabel["nothing left"], null);
  assert.deepStrictEqual(byLabel["no headers left"], []);
  assert.strictEqual(byLabel["collect after the windows"], 0);
});

test("a fault at any call changes nothing, and the retried run ends the same", async (t) => {
  t.diagnostic(`${await checkEveryFault(run)} fault positions checked`);
});
