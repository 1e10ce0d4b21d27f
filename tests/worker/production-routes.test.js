// The production routes through the Worker, each reaching the object that
// holds its mailbox: fetch with `max`, extend (by the lid's object, with no
// receiver, as ack), cancel, peek, stats, admin redrive and purge, and the
// dead-letter listing; bad input refused with its code and nothing changed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ack, api, assertFormError, fetchNext, formOf, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

const json = async (res) => {
  const text = await res.text();
  assert.equal(res.status, 200, text);
  assert.equal(res.headers.get("content-type"), "application/json");
  return JSON.parse(text);
};

const statsOf = async (receiver) => json(await api(worker.url, "stats", { method: "GET", fields: { receiver }, json: true }));

test("fetch with max leases several messages, each with its own lid, [] when none", async () => {
  const receiver = newBox();
  const mids = [];
  for (let n = 0; n < 3; n++) mids.push(await send(worker.url, { sender: "a@x", receiver, n: String(n) }));
  const got = await json(await api(worker.url, "fetch", { fields: { receiver, max: "2", leaseTime: "1m" } }));
  assert.deepEqual(got.map((m) => m.mid), mids.slice(0, 2));
  assert.notEqual(got[0].lid, got[1].lid);
  assert.equal(got[0].body.n, "0");
  const rest = await json(await api(worker.url, "fetch", { fields: { receiver, max: "100" } }));
  assert.deepEqual(rest.map((m) => m.mid), [mids[2]]);
  assert.deepEqual(await json(await api(worker.url, "fetch", { fields: { receiver, max: "5" } })), []);
  for (const bad of [{ max: "0" }, { max: "101" }, { wait: "21s" }, { wait: "-1s" }]) {
    await assertFormError(await api(worker.url, "fetch", { fields: { receiver, ...bad } }), 400, "out_of_range");
  }
});

test("extend reaches the lid's object without a receiver and renews the lease", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver });
  const msg = await fetchNext(worker.url, receiver, { leaseTime: "1s" });
  const res = await api(worker.url, "extend", { fields: { mid, lid: msg.get("lid"), leaseTime: "10m" } });
  const until = (await formOf(res)).get("leasedUntil");
  assert.equal(res.status, 200);
  assert.ok(Date.parse(until) - Date.parse(msg.get("leasedUntil")) > 9 * 60_000, `${until}`);
  const asJson = await json(await api(worker.url, "extend", { fields: { mid, lid: msg.get("lid"), leaseTime: "1m" }, json: true }));
  assert.match(asJson.leasedUntil, /^\d{4}-\d\d-\d\dT/);
  // A wrong lid of the same object: one of its 128 random bits flipped (the
  // last 11 characters name where its entry is).
  const lid = msg.get("lid");
  const wrong = lid.slice(0, -12) + (lid.at(-12) === "0" ? "1" : "0") + lid.slice(-11);
  await assertFormError(await api(worker.url, "extend", { fields: { mid, lid: wrong, leaseTime: "1m" } }), 400, "lock_mismatch");
  await assertFormError(await api(worker.url, "extend", { fields: { mid, lid: msg.get("lid") } }), 400, "bad_request");
  assert.equal((await statsOf(receiver)).leased, 1);
});

test("peek shows the next due bodies and changes nothing; stats counts exactly", async () => {
  const receiver = newBox();
  const first = await send(worker.url, { sender: "a@x", receiver, n: "0" });
  await send(worker.url, { sender: "a@x", receiver, n: "1" });
  await send(worker.url, { sender: "a@x", receiver, n: "later", delay: "1h" });
  const peeked = await json(await api(worker.url, "peek", { method: "GET", fields: { receiver, limit: "10" } }));
  assert.deepEqual(peeked.map((m) => m.body.n), ["0", "1"]);
  assert.equal(peeked[0].lid, "");
  const stats = await statsOf(receiver);
  assert.equal(stats.ready, 2);
  assert.equal(stats.delayed, 1);
  assert.equal(stats.leased, 0);
  assert.equal(stats.dead, 0);
  assert.ok(stats.bytes > 0);
  assert.equal(typeof stats.oldestReady, "number");
  // Peek took no lease: the first message is still the next one.
  assert.equal((await fetchNext(worker.url, receiver)).get("mid"), first);
  const after = await statsOf(receiver);
  assert.deepEqual([after.ready, after.leased], [1, 1]);
  await assertFormError(await api(worker.url, "peek", { method: "GET", fields: { receiver, limit: "0" } }), 400, "out_of_range");
  await assertFormError(await api(worker.url, "stats", { fields: { receiver } }), 405, "method_not_allowed");
});

test("cancel removes a pending message once; admin purge empties a mailbox; redrive answers moved", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, delay: "1h" });
  await send(worker.url, { sender: "a@x", receiver, n: "1" });
  await send(worker.url, { sender: "a@x", receiver, n: "2" });
  assert.deepEqual(await json(await api(worker.url, "cancel", { fields: { receiver, mid }, json: true })), { cancelled: true });
  assert.deepEqual(await json(await api(worker.url, "cancel", { fields: { receiver, mid }, json: true })), { cancelled: false });
  await assertFormError(await api(worker.url, "cancel", { fields: { receiver, mid: "zz" } }), 400, "invalid_key");
  assert.equal((await statsOf(receiver)).delayed, 0);

  assert.deepEqual(await json(await api(worker.url, "admin/redrive", { fields: { receiver }, json: true })), { moved: 0 });
  await assertFormError(await api(worker.url, "admin/purge", { fields: { receiver, status: "ready" } }), 400, "bad_request");
  assert.equal((await statsOf(receiver)).ready, 2, "a refused purge deletes nothing");
  assert.deepEqual(await json(await api(worker.url, "admin/purge", { fields: { receiver }, json: true })), { deleted: 2 });
  const empty = await statsOf(receiver);
  assert.deepEqual([empty.ready, empty.delayed, empty.leased, empty.dead, empty.bytes], [0, 0, 0, 0, 0]);
  assert.equal(empty.oldestReady, null);
});

test("stats after the object's first call follow every write: sends, a batch fetch, acks, cancel, purge", async () => {
  // The object's Server is its storage's only writer: its first stats lists
  // the mailbox's index, later ones count the rows it keeps from its own writes.
  const receiver = newBox();
  const mids = [];
  for (let n = 0; n < 6; n++) mids.push(await send(worker.url, { sender: "a@x", receiver, n: String(n) }));
  assert.equal((await statsOf(receiver)).ready, 6);
  const got = await json(await api(worker.url, "fetch", { fields: { receiver, max: "3", leaseTime: "1h" } }));
  assert.equal(got.length, 3);
  const acked = await ack(worker.url, got[0].mid, got[0].lid);
  assert.equal(acked.status, 200, await acked.text());
  await json(await api(worker.url, "cancel", { fields: { receiver, mid: mids[5] }, json: true }));
  await send(worker.url, { sender: "a@x", receiver, n: "later", delay: "1h" });
  const stats = await statsOf(receiver);
  assert.deepEqual([stats.ready, stats.leased, stats.delayed, stats.dead], [2, 2, 1, 0]);
  assert.deepEqual(await json(await api(worker.url, "admin/purge", { fields: { receiver }, json: true })), { deleted: 5 });
  const empty = await statsOf(receiver);
  assert.deepEqual([empty.ready, empty.delayed, empty.leased, empty.dead, empty.bytes], [0, 0, 0, 0, 0]);
});
