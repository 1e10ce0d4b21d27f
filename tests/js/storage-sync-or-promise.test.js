// Storage callbacks may return plain values or Promises: the queue behaves the
// same and writes exactly the same bytes either way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { promiseStorage, snapshot } from "./support/storage.js";

/** A fixed random source, so lids match between the two runs. */
const zeros = (/** @type {Uint8Array} */ bytes) => bytes.fill(7);

/** Runs the same workload on `storage`; returns what the caller saw. */
async function workload(storage) {
  const time = fakeClock();
  const server = new Server({ storage, clock: time.clock, random: zeros });
  const seen = [];
  for (const n of ["1", "2", "3"]) seen.push(await server.send({ sender: "ann", receiver: "bob", delay: Number(n), body: { n } }));
  time.advance(10);
  const a = await server.fetchLatest("bob", { lease: 100 });
  await server.ack(a.mid, a.lid, "confirmed");
  const b = await server.fetchLatest("bob", { lease: 100 });
  await server.ack(b.mid, b.lid, "rejected", { retryDelay: 5 });
  await server.fetchLatest("bob", { lease: 100 });
  time.advance(200);
  seen.push(await server.reenqueue(), await server.fetchHeaders("bob"), await server.fetchBlob(b.mid), a, b);
  return seen;
}

test("sync callbacks and Promise callbacks give the same results and the same stored bytes", async () => {
  const syncStore = memoryStorage();
  const asyncInner = memoryStorage();
  const syncSeen = await workload(syncStore);
  const asyncSeen = await workload(promiseStorage(asyncInner));
  assert.deepStrictEqual(asyncSeen, syncSeen);
  const stored = await snapshot(syncStore);
  assert.ok(stored.length > 0);
  assert.deepStrictEqual(await snapshot(asyncInner), stored);
});

test("memoryStorage really answers synchronously, the wrapper with Promises", async () => {
  // Guards the test above against comparing two identical kinds of store.
  assert.ok(Array.isArray(memoryStorage().list({ prefix: "" })));
  assert.ok(promiseStorage(memoryStorage()).list({ prefix: "" }) instanceof Promise);
});

test("a thenable that is not a native Promise is awaited too", async () => {
  const inner = memoryStorage();
  const thenable = (/** @type {() => any} */ fn) => ({ then: (/** @type {Function} */ ok, /** @type {Function} */ ko) => { try { ok(fn()); } catch (e) { ko(e); } } });
  const storage = {
    get: (/** @type {string} */ k) => thenable(() => inner.get(k)),
    list: (/** @type {any} */ o) => thenable(() => inner.list(o)),
    write: (/** @type {any} */ b) => thenable(() => inner.write(b)),
  };
  const server = new Server({ storage, clock: fakeClock().clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  assert.strictEqual((await server.fetchLatest("bob"))?.mid, mid);
});
