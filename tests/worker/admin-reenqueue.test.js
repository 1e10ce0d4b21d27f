// /api/admin/reenqueue releases expired leases and says how many: for one
// mailbox with `receiver`, or for every mailbox in the directory without it.
// Leases are 1 ms of the runtime's clock; the tests wait on the Worker, not a timer.
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, eventually, fetchNext, formOf, leaseRunsOut, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

/** A mailbox holding one message whose lease has run out. */
async function expiredLease() {
  const receiver = newBox();
  await send(worker.url, { sender: "a@x", receiver, topic: "abandoned" });
  await fetchNext(worker.url, receiver, { leaseTime: "1ms" });
  await leaseRunsOut(worker.url, receiver);
  return receiver;
}

test("one mailbox: count=1, then count=0", async () => {
  const receiver = await expiredLease();
  const res = await api(worker.url, "admin/reenqueue", { method: "GET", fields: { receiver } });
  assert.equal(res.status, 200);
  assert.equal((await formOf(res)).get("count"), "1");
  const again = await api(worker.url, "admin/reenqueue", { fields: { receiver }, json: true });
  assert.deepEqual(await again.json(), { count: 0 });
});

test("every mailbox: the counts of all objects are summed", async () => {
  const boxes = [await expiredLease(), await expiredLease(), await expiredLease()];
  // The Worker lists mailboxes in KV after replying to a send (waitUntil).
  const kv = await worker.mf.getKVNamespace("DIRECTORY");
  await eventually(async () => {
    const { keys } = await kv.list({ prefix: "mailbox/" });
    for (const box of boxes) assert.ok(keys.some((k) => k.name === `mailbox/${box}`), box);
  });

  const res = await api(worker.url, "admin/reenqueue", { method: "GET" });
  assert.equal(res.status, 200);
  // The first test's mailbox was already tidied, so only these three count.
  assert.equal((await formOf(res)).get("count"), "3");
  const again = await api(worker.url, "admin/reenqueue", { method: "POST", json: true });
  assert.deepEqual(await again.json(), { count: 0 });
});
