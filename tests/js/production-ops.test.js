// The production operations of the in-process Server: extend, batches, cancel,
// peek, stats, dead letters (maxDeliveries, fetchHeaders status dead, redrive),
// retryBackoff, ttl and retention, purge. Each with its error codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { rejectsWithCode } from "./support/errors.js";

const HOUR = 3_600_000;

function setup(options = {}) {
  const time = fakeClock();
  const server = new Server({ ...options, clock: time.clock });
  const send = (body = {}, more = {}) => server.send({ sender: "ann", receiver: "bob", body, ...more });
  return { server, time, send };
}

test("extend renews the current lease with the same lid; a wrong lid, an expired lease or past 12 h fail", async () => {
  const { server, time, send } = setup();
  const { mid } = await send({ k: 1 });
  const msg = await server.fetchLatest("bob", { lease: "1s" });
  time.advance(900);
  const { leasedUntil } = await server.extend(mid, msg.lid, { lease: "1s" });
  assert.strictEqual(leasedUntil, time.now() + 1000);
  time.advance(1000);
  assert.strictEqual(await server.fetchLatest("bob"), null, "the extended lease still holds");
  await rejectsWithCode(server.extend(mid, "0".repeat(32), { lease: "1s" }), "lock_mismatch");
  await rejectsWithCode(server.extend(mid, msg.lid, { lease: 11 * HOUR + 59 * 60_000 + 59_000 }), "out_of_range");
  await rejectsWithCode(server.extend("nothex", msg.lid), "invalid_key");
  time.advance(1);
  await rejectsWithCode(server.extend(mid, msg.lid, { lease: "1s" }), "lease_expired");
});

test("sendBatch enqueues in input order; one bad item refuses the whole call naming its index", async () => {
  const { server, send } = setup();
  const receipts = await server.sendBatch([
    { sender: "ann", receiver: "bob", body: { n: 1 } },
    { sender: "ann", receiver: "eve", body: { n: 2 } },
    { sender: "ann", receiver: "bob", body: { n: 3 }, clientTime: 5 },
    { sender: "ann", receiver: "bob", body: { n: 3 }, clientTime: 5 },
  ]);
  assert.deepEqual(receipts.map((r) => r.duplicate), [false, false, false, true]);
  assert.strictEqual(receipts[2].mid, receipts[3].mid);
  assert.deepEqual((await server.stats("bob")).ready, 2);
  const err = await rejectsWithCode(
    server.sendBatch([{ sender: "ann", receiver: "bob", body: { n: 4 } }, { sender: "ann", receiver: "", body: {} }]),
    "invalid_mailbox",
  );
  assert.match(err.message, /item 1/);
  await rejectsWithCode(server.sendBatch([{ sender: "ann", receiver: "bob", delay: "soon" }]), "invalid_duration");
  await rejectsWithCode(server.sendBatch(Array.from({ length: 101 }, (_, n) => ({ sender: "a", receiver: "bob", body: { n } }))), "bad_request");
  await rejectsWithCode(server.sendBatch({ sender: "a", receiver: "bob" }), "bad_request");
  const big = "x".repeat(4000);
  await rejectsWithCode(server.sendBatch(Array.from({ length: 100 }, () => ({ sender: "a", receiver: "bob", body: { big } }))), "message_too_big");
  assert.deepEqual((await server.stats("bob")).ready, 2, "nothing of a refused batch was enqueued");
  await send();
  assert.deepEqual(await server.sendBatch([]), []);
});

test("fetchBatch leases up to max due messages, earliest first, each its own lid; ackBatch settles each alone", async () => {
  const { server, time, send } = setup();
  for (let n = 0; n < 5; n++) {
    await send({ n });
    time.advance(1);
  }
  await send({ n: "later" }, { delay: "1h" });
  const got = await server.fetchBatch("bob", { max: 4, lease: "1m" });
  assert.deepEqual(got.map((m) => m.body.n), ["0", "1", "2", "3"]);
  assert.strictEqual(new Set(got.map((m) => m.lid)).size, 4);
  const rest = await server.fetchBatch("bob", { max: 100 });
  assert.deepEqual(rest.map((m) => m.body.n), ["4"]);
  assert.deepEqual(await server.fetchBatch("bob", { max: 10 }), []);
  await rejectsWithCode(server.fetchBatch("bob", { max: 0 }), "out_of_range");
  await rejectsWithCode(server.fetchBatch("bob", { max: 101 }), "out_of_range");
  await rejectsWithCode(server.fetchBatch("bob", { max: 1.5 }), "out_of_range");

  const results = await server.ackBatch([
    { mid: got[0].mid, lid: got[0].lid, status: "confirmed" },
    { mid: got[1].mid, lid: got[1].lid, status: "rejected" },
    { mid: got[2].mid, lid: "f".repeat(32), status: "confirmed" },
    { mid: got[0].mid, lid: got[0].lid, status: "confirmed" },
    { mid: "xyz", lid: got[3].lid, status: 1 },
    { mid: got[3].mid, lid: got[3].lid, status: "maybe" },
  ]);
  assert.deepEqual(results.map((r) => (r.ok ? "ok" : r.code)),
    ["ok", "ok", "lock_mismatch", "not_found", "invalid_key", "unknown_status"]);
  for (const r of results) if (!r.ok) assert.ok(r.message.length > 0);
  assert.deepEqual((await server.fetchLatest("bob"))?.body.n, "1", "the rejected one is due again");
  await rejectsWithCode(server.ackBatch(Array.from({ length: 101 }, () => ({ mid: got[3].mid, lid: got[3].lid, status: 1 }))), "bad_request");
});

test("cancel removes a pending message (delayed, due or leased) with its blob; false otherwise", async () => {
  const { server, send } = setup();
  const delayed = await send({ n: 1 }, { delay: "1h" });
  const due = await send({ n: 2 });
  const leasedOne = await send({ n: 3 });
  await server.cancel("bob", due.mid);
  const lease = await server.fetchLatest("bob");
  assert.strictEqual(lease.mid, leasedOne.mid);
  assert.deepEqual(await server.cancel("bob", delayed.mid), { cancelled: true });
  assert.deepEqual(await server.cancel("bob", lease.mid), { cancelled: true });
  assert.deepEqual(await server.cancel("bob", lease.mid), { cancelled: false });
  assert.deepEqual(await server.cancel("eve", due.mid), { cancelled: false });
  assert.strictEqual(await server.fetchBlob(lease.mid), null);
  await rejectsWithCode(server.ack(lease.mid, lease.lid, "confirmed"), "not_found");
  await rejectsWithCode(server.cancel("bob", "nope"), "invalid_key");
  assert.deepEqual(await server.stats("bob"), { ready: 0, delayed: 0, leased: 0, dead: 0, bytes: 0, oldestReady: null });
});

test("peek shows the next due messages with bodies and no lid, and changes nothing", async () => {
  const { server, time, send } = setup();
  await send({ n: 1 });
  time.advance(1);
  await send({ n: 2 });
  await send({ n: 3 }, { delay: "1m" });
  const before = await server.stats("bob");
  const peeked = await server.peek("bob", { limit: 10 });
  assert.deepEqual(peeked.map((m) => m.body.n), ["1", "2"]);
  for (const m of peeked) assert.ok(!("lid" in m));
  assert.deepEqual((await server.peek("bob")).length, 1, "default limit 1");
  assert.deepEqual(await server.stats("bob"), before);
  assert.strictEqual((await server.fetchLatest("bob")).deliveryCount, 1);
  await rejectsWithCode(server.peek("bob", { limit: 101 }), "out_of_range");
});

test("stats counts ready, delayed, leased, dead and bytes exactly", async () => {
  const { server, time, send } = setup({ maxDeliveries: 1 });
  const first = await send({ n: 1 });
  time.advance(5);
  await send({ n: 2 });
  await send({ n: 3 }, { delay: "1m" });
  await send({ n: 4 });
  const lease = await server.fetchLatest("bob", { lease: "10s" });
  assert.strictEqual(lease.mid, first.mid);
  const s = await server.stats("bob");
  assert.deepEqual({ ...s, bytes: undefined }, { ready: 2, delayed: 1, leased: 1, dead: 0, bytes: undefined, oldestReady: time.now() });
  await server.ack(lease.mid, lease.lid, "rejected");
  const after = await server.stats("bob");
  assert.deepEqual([after.ready, after.delayed, after.leased, after.dead], [2, 1, 0, 1]);
  assert.strictEqual(after.bytes, s.bytes, "a dead body is still stored");
  await rejectsWithCode(server.stats(""), "invalid_mailbox");
});

test("maxDeliveries: at the limit a reject or a lease running out makes it dead; listed, counted, redriven", async () => {
  const { server, time, send } = setup({ maxDeliveries: 2 });
  const { mid } = await send({ n: 1 });
  const a = await server.fetchLatest("bob", { lease: "1s" });
  await server.ack(a.mid, a.lid, "rejected");
  await server.fetchLatest("bob", { lease: "1s" });
  time.advance(1001);
  assert.strictEqual(await server.fetchLatest("bob"), null, "never delivered a third time");
  const dead = await server.fetchHeaders("bob", { status: "dead" });
  assert.deepEqual(dead.map((h) => [h.mid, h.status, h.statusCode]), [[mid, "dead", 16]]);
  assert.deepEqual(await server.fetchHeaders("bob"), [], "a dead message is not pending");
  assert.strictEqual((await server.stats("bob")).dead, 1);
  assert.deepEqual(await server.fetchHeaders("bob", { status: "leased" }), [], "a dead message is not leased");
  await rejectsWithCode(server.fetchHeaders("bob", { status: "confirmed" }), "bad_request");
  assert.deepEqual(await server.redrive("bob", { limit: 10 }), { moved: 1 });
  assert.deepEqual(await server.redrive("bob"), { moved: 0 });
  const back = await server.fetchLatest("bob");
  assert.deepEqual([back.mid, back.deliveryCount], [mid, 1]);
  await rejectsWithCode(server.redrive("bob", { limit: 1001 }), "out_of_range");
});

test("retryBackoff delays a reject without retryDelay and a timeout, growing by factor up to max", async () => {
  const { server, time, send } = setup({ retryBackoff: { initial: "1s", factor: 3, max: "5s" } });
  await send();
  const a = await server.fetchLatest("bob", { lease: "1m" });
  await server.ack(a.mid, a.lid, "rejected");
  time.advance(999);
  assert.strictEqual(await server.fetchLatest("bob"), null);
  time.advance(1);
  const b = await server.fetchLatest("bob", { lease: 100 });
  time.advance(101 + 2999);
  assert.strictEqual(await server.fetchLatest("bob"), null, "the second failure waits 3 s");
  time.advance(1);
  const c = await server.fetchLatest("bob", { lease: 100 });
  assert.strictEqual(c.deliveryCount, 3);
  await server.ack(c.mid, c.lid, "rejected");
  time.advance(4999);
  assert.strictEqual(await server.fetchLatest("bob"), null, "capped at max (5 s), not 9 s");
  time.advance(1);
  assert.ok(await server.fetchLatest("bob"));
  assert.ok(b);
});

test("server options are checked by the core: maxDeliveries, retryBackoff, retention", () => {
  assert.throws(() => new Server({ maxDeliveries: -1 }), { code: "bad_request" });
  assert.throws(() => new Server({ maxDeliveries: 1.5 }), { code: "bad_request" });
  assert.throws(() => new Server({ retryBackoff: { initial: "1s", factor: 0.5 } }), { code: "bad_request" });
  assert.throws(() => new Server({ retryBackoff: { initial: "2s", max: "1s" } }), { code: "bad_request" });
  assert.throws(() => new Server({ retryBackoff: { initial: "1s", jitter: true } }), { code: "bad_request" });
  assert.throws(() => new Server({ retryBackoff: { max: "1s" } }), { code: "bad_request" });
  assert.throws(() => new Server({ retention: "forever" }), { code: "invalid_duration" });
  assert.throws(() => new Server({ retention: -1 }), { code: "out_of_range" });
  assert.throws(() => new Server({ timers: { setTimeout() {} } }), { code: "bad_request" });
  new Server({ maxDeliveries: 0, retryBackoff: null, retention: 0 });
});

test("ttl and retention: an expired message is never delivered; dropped, or dead with maxDeliveries", async () => {
  const { server, time, send } = setup({ retention: "1h" });
  await send({ n: 1 }, { ttl: "1m" });
  await send({ n: 2 });
  await send({ n: 3 }, { ttl: "2h" });
  time.advance(60_001);
  const got = await server.fetchBatch("bob", { max: 10 });
  assert.deepEqual(got.map((m) => m.body.n).sort(), ["2", "3"]);
  for (const m of got) await server.ack(m.mid, m.lid, "rejected");
  time.advance(HOUR);
  assert.deepEqual(await server.fetchBatch("bob", { max: 10 }), [], "retention caps the 2 h ttl");
  assert.deepEqual(await server.fetchHeaders("bob"), []);
  await rejectsWithCode(send({}, { ttl: "later" }), "invalid_duration");

  const dead = setup({ maxDeliveries: 3 });
  await dead.send({ n: 1 }, { ttl: "1s" });
  dead.time.advance(1001);
  assert.strictEqual(await dead.server.fetchLatest("bob"), null);
  assert.strictEqual((await dead.server.stats("bob")).dead, 1);
});

test("purge deletes every pending and dead message, or only the dead ones, with their blobs", async () => {
  const { server, send } = setup({ maxDeliveries: 1 });
  const gone = await send({ n: 1 });
  const m = await server.fetchLatest("bob");
  await server.ack(m.mid, m.lid, "rejected");
  const kept = await send({ n: 2 });
  await send({ n: 3 }, { delay: "1h" });
  assert.deepEqual(await server.purge("bob", { status: "dead" }), { deleted: 1 });
  assert.strictEqual(await server.fetchBlob(gone.mid), null);
  assert.ok(await server.fetchBlob(kept.mid));
  assert.deepEqual(await server.purge("bob"), { deleted: 2 });
  assert.deepEqual(await server.purge("bob"), { deleted: 0 });
  assert.deepEqual(await server.stats("bob"), { ready: 0, delayed: 0, leased: 0, dead: 0, bytes: 0, oldestReady: null });
  await rejectsWithCode(server.purge("bob", { status: "ready" }), "bad_request");
});

test("ackBatch reads numeric statuses as ack does: 1 confirms, 2 rejects, 1.5 is unknown_status", async () => {
  const { server, send } = setup();
  for (const n of ["1", "2", "3"]) await send({ n });
  const [a, b, c] = await server.fetchBatch("bob", { max: 3, lease: 1000 });
  const results = await server.ackBatch([
    { mid: a.mid, lid: a.lid, status: 1 },
    { mid: b.mid, lid: b.lid, status: 2 },
    { mid: c.mid, lid: c.lid, status: 1.5 },
  ]);
  assert.deepEqual(results.map((r) => (r.ok ? "ok" : r.code)), ["ok", "ok", "unknown_status"]);
  assert.match(results[2].message, /1\.5/, "the message names the status as given");
  const stats = await server.stats("bob");
  assert.deepEqual([stats.ready, stats.leased], [1, 1], "b is due again, c still leased, a gone");
});

test("fetchHeaders' status names a listing as admin/headers does: pending, leased or dead; anything else is bad_request", async () => {
  const { server, send } = setup({ admin: true });
  await send({ n: 1 });
  await send({ n: 2 });
  const leased = await server.fetchLatest("bob");
  const pending = await server.fetchHeaders("bob");
  assert.deepStrictEqual(await server.fetchHeaders("bob", { status: "pending" }), pending);
  assert.deepStrictEqual(pending.length, 1);
  assert.deepStrictEqual((await server.fetchHeaders("bob", { status: "leased" })).map((h) => h.mid), [leased.mid]);
  assert.deepStrictEqual(await server.fetchHeaders("bob", { status: "dead" }), []);
  for (const status of ["all", "Dead", 5, {}]) {
    await rejectsWithCode(server.fetchHeaders("bob", { status }), "bad_request");
  }
  const reply = await server.handle(new Request("http://q/api/admin/headers?receiver=bob&status=all"));
  assert.strictEqual(reply.status, 400, "the same rule over HTTP");
});
