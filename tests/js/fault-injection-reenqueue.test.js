// reenqueue() under storage faults: a failing reenqueue must leave the store
// as it was, like every other operation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage, faultyStorage } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { assertPandoraError } from "./support/errors.js";
import { snapshot } from "./support/storage.js";

/**
 * A store holding `expired` (["lease"], ["tombstone"] or both) work for
 * reenqueue, then reenqueue with its call number `n` failing.
 * @param {string[]} expired
 * @param {number} n
 */
async function reenqueueFailingAt(expired, n) {
  const inner = memoryStorage();
  const storage = faultyStorage(inner);
  const time = fakeClock();
  const server = new Server({ storage, clock: time.clock, dedupeWindow: 1000 });
  if (expired.includes("tombstone")) {
    await server.send({ sender: "ann", receiver: "bob", clientTime: 1, body: { n: "done" } });
    const done = await server.fetchLatest("bob", { lease: 10 });
    await server.ack(done.mid, done.lid, "confirmed");
  }
  if (expired.includes("lease")) {
    await server.send({ sender: "ann", receiver: "bob", clientTime: 1, body: { n: "held" } });
    await server.fetchLatest("bob", { lease: 10 });
  }
  time.advance(5000);
  const before = await snapshot(inner);
  storage.failAt = storage.calls + n;
  const callsBefore = storage.calls;
  let error = null;
  try {
    await server.reenqueue();
  } catch (err) {
    error = err;
  }
  return { error, before, after: await snapshot(inner), calls: storage.calls - callsBefore };
}

/** Every fault position of one reenqueue: each must fail cleanly. */
async function everyPosition(expired) {
  const { calls } = await reenqueueFailingAt(expired, Infinity);
  assert.ok(calls >= 2);
  for (let n = 1; n <= calls; n++) {
    const { error, before, after } = await reenqueueFailingAt(expired, n);
    assertPandoraError(error, "storage");
    assert.deepStrictEqual(after, before, `reenqueue failing at its call ${n} of ${calls} changed the store`);
  }
}

test("with only expired tombstones, a fault at any call changes nothing", async () => {
  await everyPosition(["tombstone"]);
});

test("with an expired lease, a fault at any call changes nothing", async () => {
  await everyPosition(["lease"]);
});

test("with both, a fault at any call changes nothing", async () => {
  await everyPosition(["lease", "tombstone"]);
});

test("a failed reenqueue can be retried and then releases the lease", async () => {
  const storage = faultyStorage(memoryStorage());
  const time = fakeClock();
  const server = new Server({ storage, clock: time.clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  await server.fetchLatest("bob", { lease: 10 });
  time.advance(11);
  storage.failAt = storage.calls + 1;
  await assert.rejects(server.reenqueue(), { code: "storage" });
  assert.strictEqual(await server.reenqueue(), 1);
  const [h] = await server.fetchHeaders("bob");
  assert.deepStrictEqual([h.mid, h.status, h.leased], [mid, "timeout", false]);
});
