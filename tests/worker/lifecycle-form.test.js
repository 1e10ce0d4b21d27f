// send -> fetch -> ack over the Go wire format (form in, form out), and the
// message is gone afterwards.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ack, api, fetchNext, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

test("a message goes through send, fetch and ack in form encoding", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, topic: "hello" });
  assert.match(mid, /^[0-9a-f]{40}$/);

  const res = await api(worker.url, "fetch", { fields: { receiver, leaseTime: "5m" } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/x-www-form-urlencoded");
  const text = await res.text();
  const msg = new URLSearchParams(text);
  assert.equal(msg.get("mid"), mid);
  assert.equal(msg.get("topic"), "hello");
  assert.equal(msg.get("sender"), "a@x");
  assert.equal(msg.get("receiver"), receiver);
  assert.equal(msg.get("status"), "notDelivered");
  assert.equal(msg.get("statusCode"), "8");
  assert.equal(msg.get("deliveryCount"), "1"); // counts this delivery (Go said 0)
  assert.equal(msg.get("validBody"), "true");
  // Keys sorted, as Go's url.Values.Encode writes them.
  const keys = [...msg.keys()];
  assert.deepEqual(keys, [...keys].sort());
  // <object id>.<128 random bits>: the Worker routes the ack by the first part.
  assert.match(msg.get("lid"), /^[0-9a-f]{64}\.[0-9a-f]{32}[-0-9A-Za-z_]{11}$/);

  const done = await ack(worker.url, mid, msg.get("lid"), 1);
  assert.equal(done.status, 200);
  assert.equal(await done.text(), "");

  assert.equal(await fetchNext(worker.url, receiver), null);
});
