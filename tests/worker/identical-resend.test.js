// Sending an identical body again (same fields, same clientTime) while it is
// pending is idempotent: 200 with the same mid and nothing new enqueued. Go
// answered 500 with a leaked database error.
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, fetchNext, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

test("a client's retry of a send gets the same mid and enqueues nothing", async () => {
  const receiver = newBox();
  const fields = { sender: "a@x", receiver, clientTime: "2026-01-01T00:00:00Z", topic: "once only" };
  const mid = await send(worker.url, fields);
  assert.equal(await send(worker.url, fields), mid);

  const res = await api(worker.url, "send", { fields, json: true });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { mid, duplicate: true });

  assert.equal((await fetchNext(worker.url, receiver)).get("mid"), mid);
  assert.equal(await fetchNext(worker.url, receiver), null);
});

test("sends without a clientTime never collide", async () => {
  const receiver = newBox();
  const fields = { sender: "a@x", receiver, topic: "same text" };
  assert.notEqual(await send(worker.url, fields), await send(worker.url, fields));
});
