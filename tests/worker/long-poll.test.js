// Long polling through the Worker: a fetch with `wait` is held by the
// mailbox's Durable Object until a message is due. Released by a send, by a
// delayed message coming due, and when its wait ends with nothing (204 / []);
// many waiters on one mailbox each get a different message. The clock is
// workerd's own, so the assertions are about which reply came, and a wait
// never ending early; the only pause (letting the waiters reach their object
// before the send) decides no assertion: a send that came first would be
// fetched at once, and the test would still check the right message arrived.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as pause } from "node:timers/promises";
import { api, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

const fetchWaiting = async (receiver, fields) => {
  const started = Date.now();
  const res = await api(worker.url, "fetch", { fields: { receiver, leaseTime: "1m", ...fields }, json: true });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, took: Date.now() - started };
};

test("a send releases a waiting fetch with its message", async () => {
  const receiver = newBox();
  const waiting = fetchWaiting(receiver, { wait: "15s" });
  await pause(300);
  const mid = await send(worker.url, { sender: "a@x", receiver, topic: "wake" });
  const got = await waiting;
  assert.equal(got.status, 200, JSON.stringify(got.body));
  assert.equal(got.body.mid, mid);
  assert.ok(got.took < 15_000, "released by the send, not by the end of the wait");
});

test("a delayed message coming due releases a waiting fetch", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, delay: "1s" });
  const got = await fetchWaiting(receiver, { wait: "15s" });
  assert.equal(got.status, 200, JSON.stringify(got.body));
  assert.equal(got.body.mid, mid);
  assert.ok(Date.now() >= Date.parse(got.body.sendWhen), "not before it was due");
  assert.ok(got.took < 15_000, "released when due, not at the end of the wait");
});

test("with nothing coming, a waiting fetch answers 204 (or [] with max) once its wait is over", async () => {
  const receiver = newBox();
  const [one, many] = await Promise.all([fetchWaiting(receiver, { wait: "1s" }), fetchWaiting(receiver, { wait: "1s", max: "10" })]);
  assert.equal(one.status, 204);
  assert.ok(one.took >= 1_000 - 5, `not before the wait is over (${one.took} ms)`);
  assert.equal(many.status, 200);
  assert.deepEqual(many.body, []);
  assert.ok(many.took >= 1_000 - 5, `not before the wait is over (${many.took} ms)`);
});

test("many waiters on one mailbox each get a different message", async () => {
  const receiver = newBox();
  const waiters = Array.from({ length: 6 }, () => fetchWaiting(receiver, { wait: "4s" }));
  await pause(300);
  const items = Array.from({ length: 4 }, (_, n) => ({ sender: "a@x", receiver, n: String(n) }));
  const res = await fetch(`${worker.url}/api/sendBatch`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(items),
  });
  assert.equal(res.status, 200);
  const mids = (await res.json()).map((r) => r.mid);
  // Four waiters get one message each; the other two find nothing and end with their wait.
  const got = await Promise.all(waiters);
  const delivered = got.filter((g) => g.status === 200).map((g) => g.body.mid);
  assert.deepEqual([...delivered].sort(), [...mids].sort(), "each message delivered once");
  assert.equal(got.filter((g) => g.status === 204).length, 2);
});
