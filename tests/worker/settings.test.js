// The Worker's production settings, as wrangler vars: PANDORA_MAX_DELIVERIES
// (dead letters, listed, counted, redriven), PANDORA_RETRY_BACKOFF (both
// spellings), PANDORA_RETENTION; a malformed value fails requests with the
// package's error rather than running with a setting nobody asked for.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as pause } from "node:timers/promises";
import { retryBackoffOf } from "../../pkg/src/settings-env.js";
import { ack, api, fetchNext, headersOf, newBox, send, useWorker } from "./support.js";

const dying = useWorker({ env: { PANDORA_MAX_DELIVERIES: "1" } });
const commaBackoff = useWorker({ env: { PANDORA_RETRY_BACKOFF: "1h,2h,2" } });
const jsonBackoff = useWorker({ env: { PANDORA_RETRY_BACKOFF: '{"initial":"1h"}' } });
const retaining = useWorker({ env: { PANDORA_RETENTION: "1s" } });
const broken = useWorker({ env: { PANDORA_RETRY_BACKOFF: "soon,later" } });

const statsOf = async (url, receiver) => (await api(url, "stats", { method: "GET", fields: { receiver }, json: true })).json();

test("PANDORA_RETRY_BACKOFF reads both spellings", () => {
  assert.equal(retryBackoffOf(undefined), undefined);
  assert.equal(retryBackoffOf(""), undefined);
  assert.deepEqual(retryBackoffOf("1s,5m,2"), { initial: "1s", max: "5m", factor: 2 });
  assert.deepEqual(retryBackoffOf(" 1s "), { initial: "1s" });
  assert.deepEqual(retryBackoffOf('{"initial":"1s","factor":3}'), { initial: "1s", factor: 3 });
  assert.throws(() => retryBackoffOf("1s,5m,2,9"), { code: "bad_request" });
  assert.throws(() => retryBackoffOf("{nope"), { code: "bad_request" });
});

test("PANDORA_MAX_DELIVERIES: a message rejected on its last delivery is dead, listed, counted and redriven", async () => {
  const receiver = newBox();
  const mid = await send(dying.url, { sender: "a@x", receiver });
  const msg = await fetchNext(dying.url, receiver);
  assert.equal((await ack(dying.url, mid, msg.get("lid"), 2)).status, 200);
  assert.equal(await fetchNext(dying.url, receiver), null);
  const stats = await statsOf(dying.url, receiver);
  assert.deepEqual([stats.ready, stats.delayed, stats.dead], [0, 0, 1]);
  const dead = await headersOf(dying.url, receiver, { status: "dead" });
  assert.deepEqual(dead.map((h) => [h.mid[0], h.status[0]]), [[mid, "dead"]]);
  const moved = await (await api(dying.url, "admin/redrive", { fields: { receiver }, json: true })).json();
  assert.deepEqual(moved, { moved: 1 });
  assert.equal((await fetchNext(dying.url, receiver)).get("mid"), mid);
});

test("PANDORA_RETRY_BACKOFF: a reject without retryDelay waits the initial back-off", async () => {
  for (const [url, what] of [[commaBackoff.url, "comma form"], [jsonBackoff.url, "JSON form"]]) {
    const receiver = newBox();
    await send(url, { sender: "a@x", receiver });
    const msg = await fetchNext(url, receiver);
    // Without a back-off (or with retryDelay=0) it would be due at once; here, in an hour.
    assert.equal((await ack(url, msg.get("mid"), msg.get("lid"), 2)).status, 200);
    const stats = await statsOf(url, receiver);
    assert.deepEqual([stats.ready, stats.delayed], [0, 1], what);
  }
});

test("PANDORA_RETENTION: a pending message older than the retention is never delivered", async () => {
  const receiver = newBox();
  await send(retaining.url, { sender: "a@x", receiver });
  await pause(1_100); // workerd's clock must pass the 1 s retention
  assert.equal(await fetchNext(retaining.url, receiver), null);
  // The same on a Worker that keeps messages: still there.
  const kept = newBox();
  await send(dying.url, { sender: "a@x", receiver: kept });
  await pause(1_100);
  assert.notEqual(await fetchNext(dying.url, kept), null);
});

test("a malformed setting fails requests with the package's error, nothing served", async () => {
  const res = await api(broken.url, "send", { fields: { sender: "a@x", receiver: newBox() } });
  const body = new URLSearchParams(await res.text());
  assert.equal(res.status, 500, body.toString());
  assert.equal(body.get("code"), "internal");
});
