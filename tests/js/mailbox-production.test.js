// The Mailbox client's production operations against the real HTTP handler
// (Server.handle behind a fetch shim): each gives what the same Server gives
// in-process, in the same shape, and the server's error codes.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Server, Mailbox, PandoraError } from "pandora-mq";
import { fakeTime } from "./support/timers.js";

const BOX = "bob@x";

/** A server on fake time and a Mailbox speaking HTTP to it. */
function setup(options = {}) {
  const time = fakeTime();
  const server = new Server({ clock: time.clock, timers: time.timers, admin: true, ...options });
  const box = new Mailbox("http://queue.test/api/", { fetch: (url, init) => server.handle(new Request(url, init)) });
  const send = (/** @type {number} */ n, more = {}) => box.send({ sender: "ann@x", receiver: BOX, body: { n: String(n) }, ...more });
  return { time, server, box, send };
}

/** Asserts `promise` rejects with a PandoraError of `code`. */
const rejectsWith = (/** @type {Promise<unknown>} */ promise, /** @type {string} */ code) =>
  assert.rejects(promise, (e) => e instanceof PandoraError && e.code === code);

test("extend renews the lease, keeping the lid; a wrong lid is lock_mismatch, an expired lease lease_expired", async () => {
  const { time, box, send } = setup();
  await send(1);
  const m = await box.fetchLatest(BOX, { lease: "10s" });
  await time.advance(4_000);
  assert.deepEqual(await box.extend(m.mid, m.lid, { lease: "10s" }), { leasedUntil: time.clock() + 10_000 });
  await time.advance(9_000);
  assert.equal(await box.fetch(BOX), null, "still leased: 13 s after a 10 s lease");
  await box.ack(m.mid, m.lid, "confirmed");

  await send(2);
  const other = await box.fetch(BOX, { lease: 1_000 });
  await rejectsWith(box.extend(other.mid, "not-the-lid", { lease: 1_000 }), "lock_mismatch");
  await time.advance(1_001);
  await rejectsWith(box.extend(other.mid, other.lid, { lease: 1_000 }), "lease_expired");
});

test("cancel removes a pending message: true once, then false; a later ack of its lease is not_found", async () => {
  const { box, send } = setup();
  const { mid } = await send(1);
  const m = await box.fetch(BOX);
  assert.deepEqual(await box.cancel(BOX, mid), { cancelled: true });
  assert.deepEqual(await box.cancel(BOX, mid), { cancelled: false });
  await rejectsWith(box.ack(mid, m.lid, "confirmed"), "not_found");
  assert.deepEqual(await box.stats(BOX), { ready: 0, delayed: 0, leased: 0, dead: 0, bytes: 0, oldestReady: null });
});

test("peek and stats read what the Server reads, in its shape, and change nothing", async () => {
  const { time, server, box, send } = setup();
  await send(1);
  await time.advance(10);
  await send(2);
  await send(3, { delay: "1m" });
  await box.fetch(BOX, { lease: "1m" });
  const peeked = await box.peek(BOX, { limit: 5 });
  assert.deepEqual(peeked, await server.peek(BOX, { limit: 5 }));
  assert.deepEqual(peeked.map((m) => m.body.n), ["2"]);
  assert.equal("lid" in peeked[0], false);
  assert.deepEqual(await box.peek(BOX), await server.peek(BOX));
  const stats = await box.stats(BOX);
  assert.deepEqual(stats, await server.stats(BOX));
  assert.deepEqual([stats.ready, stats.delayed, stats.leased, stats.dead], [1, 1, 1, 0]);
  assert.equal(stats.oldestReady, time.clock());
  await rejectsWith(box.peek(BOX, { limit: 101 }), "out_of_range");
});

/** Three dead letters (maxDeliveries 1, each rejected once) and one ready message. */
async function withDeadLetters() {
  const setting = setup({ maxDeliveries: 1 });
  for (const n of [1, 2, 3]) {
    await setting.send(n);
    const m = await setting.box.fetch(BOX);
    await setting.box.ack(m.mid, m.lid, "rejected");
  }
  await setting.send(4);
  return setting;
}

test("dead letters over HTTP: listed with status dead as the Server lists them", async () => {
  const { server, box } = await withDeadLetters();
  const dead = await box.fetchHeaders(BOX, { status: "dead" });
  assert.deepEqual(dead, await server.fetchHeaders(BOX, { status: "dead" }));
  assert.deepEqual(dead.map((h) => [h.status, h.statusCode, h.deliveryCount]), [["dead", 16, 1], ["dead", 16, 1], ["dead", 16, 1]]);
  assert.deepEqual((await box.fetchHeaders(BOX)).map((h) => h.status), ["notDelivered"], "the pending list leaves them out");
});

test("dead letters over HTTP: redriven and purged", async () => {
  const { box } = await withDeadLetters();
  assert.equal((await box.stats(BOX)).dead, 3);
  assert.deepEqual(await box.redrive(BOX, { limit: 1 }), { moved: 1 });
  assert.equal((await box.stats(BOX)).dead, 2);
  assert.deepEqual(await box.purge(BOX, { status: "dead" }), { deleted: 2 });
  assert.deepEqual(await box.purge(BOX, { status: "dead" }), { deleted: 0 });
  assert.deepEqual(await box.redrive(BOX), { moved: 0 });
  assert.deepEqual(await box.purge(BOX), { deleted: 2 }, "the redriven one and the fresh one");
  assert.deepEqual(await box.stats(BOX), { ready: 0, delayed: 0, leased: 0, dead: 0, bytes: 0, oldestReady: null });
  await rejectsWith(box.purge(BOX, { status: "leased" }), "bad_request");
});

test("the admin operations need a server with admin on", async () => {
  const { box } = setup({ admin: false });
  await assert.rejects(box.redrive(BOX), (e) => e instanceof PandoraError && e.status === 404);
  await assert.rejects(box.purge(BOX), (e) => e instanceof PandoraError && e.status === 404);
});
