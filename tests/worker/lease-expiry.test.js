// A lease that runs out makes the message deliverable again: the next fetch
// gets the same mid with a new lid and status timeout (Go never said timeout),
// and the old lid no longer acks. The lease is 1 ms of the runtime's clock.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ack, fetchNext, formOf, leaseRunsOut, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

test("an expired lease is redelivered with a new lid", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, topic: "slow consumer" });
  const first = await fetchNext(worker.url, receiver, { leaseTime: "1ms" });
  await leaseRunsOut(worker.url, receiver);

  const again = await fetchNext(worker.url, receiver, { leaseTime: "5m" });
  assert.equal(again.get("mid"), mid);
  assert.notEqual(again.get("lid"), first.get("lid"));
  assert.equal(again.get("status"), "timeout");
  assert.equal(again.get("statusCode"), "4");
  assert.equal(again.get("deliveryCount"), "2");

  const late = await ack(worker.url, mid, first.get("lid"), 1);
  assert.equal(late.status, 400);
  assert.match((await formOf(late)).get("code"), /^(lock_mismatch|lease_expired)$/);
  assert.equal((await ack(worker.url, mid, again.get("lid"), 1)).status, 200);
});
