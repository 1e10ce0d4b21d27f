// 204 with an empty body whenever nothing is due: an empty (even unknown)
// mailbox, a delayed message, a message under lease.
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, fetchNext, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

async function assertNothing(receiver) {
  const res = await api(worker.url, "fetch", { fields: { receiver } });
  assert.equal(res.status, 204);
  assert.equal(await res.text(), "");
}

test("an unknown mailbox has nothing due", async () => {
  await assertNothing(newBox("never-used"));
});

test("a delayed message is not due yet", async () => {
  const receiver = newBox();
  await send(worker.url, { sender: "a@x", receiver, delay: "1h", topic: "later" });
  await assertNothing(receiver);
});

test("a leased message is not handed out twice", async () => {
  const receiver = newBox();
  await send(worker.url, { sender: "a@x", receiver, topic: "once" });
  assert.ok(await fetchNext(worker.url, receiver, { leaseTime: "10m" }));
  await assertNothing(receiver);
});
