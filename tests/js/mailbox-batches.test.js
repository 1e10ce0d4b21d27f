// The Mailbox client's batches and long polls against the real HTTP handler
// (Server.handle behind a fetch shim) on fake time: the same results and
// shapes the Server gives in-process, and its refusals as PandoraError codes.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Server, Mailbox, PandoraError } from "pandora-mq";
import { fakeTime, settle } from "./support/timers.js";

const BOX = "bob@x";

function setup(options = {}) {
  const time = fakeTime();
  const server = new Server({ clock: time.clock, timers: time.timers, ...options });
  /** @type {Request[]} */
  const requests = [];
  const box = new Mailbox("http://queue.test/api/", {
    fetch: (url, init) => {
      const request = new Request(url, init);
      requests.push(request.clone());
      return server.handle(request);
    },
  });
  return { time, server, box, requests };
}

const rejectsWith = (/** @type {Promise<unknown>} */ promise, /** @type {string} */ code) =>
  assert.rejects(promise, (e) => e instanceof PandoraError && e.code === code);

const message = (/** @type {number} */ n, more = {}) => ({ sender: "ann@x", receiver: BOX, body: { n: String(n), tag: ["a", "b"] }, ...more });

test("sendBatch posts one JSON array and returns receipts in input order, duplicates marked", async () => {
  const { box, server, requests } = setup();
  const receipts = await box.sendBatch([message(1, { clientTime: 1_000 }), message(2), message(1, { clientTime: 1_000 })]);
  assert.equal(requests.length, 1);
  assert.equal(requests[0].headers.get("content-type"), "application/json");
  assert.equal(new URL(requests[0].url).pathname, "/api/sendBatch");
  assert.deepEqual(receipts.map((r) => r.duplicate), [false, false, true]);
  assert.equal(receipts[0].mid, receipts[2].mid);
  // Due at the same ms, so peek's order among them is the store's: sort by n.
  const peeked = (await server.peek(BOX, { limit: 10 })).sort((a, b) => Number(a.body.n) - Number(b.body.n));
  assert.deepEqual(peeked.map((m) => [m.mid, m.body.n, m.body.tag]), [[receipts[0].mid, "1", ["a", "b"]], [receipts[1].mid, "2", ["a", "b"]]]);
});

test("one bad sendBatch item refuses the whole call, naming its index, and enqueues nothing", async () => {
  const { box, server } = setup();
  await assert.rejects(box.sendBatch([message(1), { sender: "ann@x", receiver: "", body: {} }]), (e) =>
    e instanceof PandoraError && e.code === "invalid_mailbox" && /\b1\b/.test(e.message));
  await rejectsWith(box.sendBatch(Array.from({ length: 101 }, (_, i) => message(i))), "bad_request");
  await rejectsWith(box.sendBatch(/** @type {any} */ ("not an array")), "bad_request");
  assert.equal((await server.stats(BOX)).ready, 0);
});

test("fetchBatch leases up to max messages, each its own lid, in the Server's shape; ackBatch settles each alone", async () => {
  const { time, box, server } = setup();
  // Due 1 ms apart, so "earliest first" has one answer.
  await box.sendBatch([1, 2, 3, 4].map((n) => message(n, { delay: n })));
  await time.advance(10);
  const batch = await box.fetchBatch(BOX, { max: 3, lease: "1m" });
  assert.deepEqual(batch.map((m) => m.body.n), ["1", "2", "3"]);
  assert.equal(new Set(batch.map((m) => m.lid)).size, 3);
  const local = await server.fetchBatch(BOX, { max: 3 });
  assert.deepEqual(Object.keys(batch[0]).sort(), Object.keys(local[0]).sort());
  // The fourth message, fetched in-process: the same fields, types and header values but its own identity.
  const blank = { mid: "", lid: "", body: {}, sendWhen: 0 };
  assert.deepEqual({ ...batch[0], ...blank }, { ...local[0], ...blank, leasedUntil: time.clock() + 60_000, visibleAt: time.clock() + 60_001 });

  const results = await box.ackBatch([
    { mid: batch[0].mid, lid: batch[0].lid, status: "confirmed" },
    { mid: batch[1].mid, lid: "wrong", status: "confirmed" },
    { mid: batch[2].mid, lid: batch[2].lid, status: "rejected", retryDelay: "1m" },
  ]);
  assert.deepEqual(results.map((r) => (r.ok ? "ok" : r.code)), ["ok", "lock_mismatch", "ok"]);
  assert.equal(typeof /** @type {any} */ (results[1]).message, "string");
  const stats = await server.stats(BOX);
  assert.deepEqual([stats.ready, stats.delayed, stats.leased], [0, 1, 2], "2 leased (one by the Server), 3 waits its retry delay");
  assert.deepEqual(await box.fetchBatch(BOX, { max: 5 }), []);
  await rejectsWith(box.fetchBatch(BOX, { max: 101 }), "out_of_range");
  await rejectsWith(box.fetchBatch(BOX, { max: 0 }), "out_of_range");
});

test("wait holds a fetch until a send wakes it, and gives up with null or [] when the wait passes", async () => {
  const { time, box, requests } = setup();
  let got = /** @type {any} */ (undefined);
  const waiting = box.fetchBatch(BOX, { max: 10, wait: "20s" }).then((m) => (got = m));
  await time.advance(5_000);
  assert.equal(got, undefined, "still waiting");
  await box.send(message(1));
  await settle();
  const batch = await waiting;
  assert.deepEqual(batch.map((m) => m.body.n), ["1"]);
  assert.equal(time.clock() - batch[0].receivedAt, 0, "woken at the send");
  assert.deepEqual([...new URLSearchParams(await requests[0].text())], [["receiver", BOX], ["wait", "20s"], ["max", "10"]]);

  const none = box.fetchLatest(BOX, { wait: 2_000 });
  const noneBatch = box.fetchBatch(BOX, { max: 2, wait: 2_000 });
  await time.advance(2_000);
  assert.equal(await none, null);
  assert.deepEqual(await noneBatch, []);
  await rejectsWith(box.fetch(BOX, { wait: "21s" }), "out_of_range");
});

test("ttl travels over HTTP: a message not fetched within it is never delivered", async () => {
  const { time, box, server } = setup();
  await box.send(message(1, { ttl: "1m" }));
  await box.sendBatch([message(2), message(3, { ttl: 1_000 })]);
  assert.equal((await server.stats(BOX)).ready, 3);
  await time.advance(60_000);
  const left = await box.fetchBatch(BOX, { max: 10 });
  assert.deepEqual(left.map((m) => m.body.n), ["2"]);
});
