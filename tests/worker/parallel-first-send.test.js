// 16 concurrent first sends to a brand-new mailbox all land and are all
// fetchable (in Go, racing first sends could leave a message unfetchable).
import assert from "node:assert/strict";
import { test } from "node:test";
import { fetchNext, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

test("16 concurrent first sends to a new mailbox: all 16 fetchable", async () => {
  const receiver = newBox("fresh");
  const mids = await Promise.all(
    Array.from({ length: 16 }, (_, i) => send(worker.url, { sender: `s${i}@x`, receiver, n: String(i) })),
  );
  assert.equal(new Set(mids).size, 16);

  const fetched = [];
  for (let msg; (msg = await fetchNext(worker.url, receiver)); ) fetched.push(msg.get("mid"));
  assert.deepEqual(fetched.sort(), mids.sort());
});
