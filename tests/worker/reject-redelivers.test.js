// statusCode=2 (rejected) puts the message back at once: the next fetch gets
// the same mid with a new lid, status rejected.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ack, fetchNext, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

test("a rejected message is delivered again", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, topic: "retry me" });
  const first = await fetchNext(worker.url, receiver);

  const res = await ack(worker.url, mid, first.get("lid"), 2);
  assert.equal(res.status, 200);

  const again = await fetchNext(worker.url, receiver);
  assert.equal(again.get("mid"), mid);
  assert.notEqual(again.get("lid"), first.get("lid"));
  assert.equal(again.get("status"), "rejected");
  assert.equal(again.get("statusCode"), "2");
  assert.equal(again.get("deliveryCount"), "2");
  assert.equal(again.get("topic"), "retry me");
});
