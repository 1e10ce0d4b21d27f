// An ack with a lid that is not the current one is refused (400
// lock_mismatch) and changes nothing; the right lid still works afterwards.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ack, assertFormError, fetchNext, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

test("a wrong lid from the same object is a lock mismatch", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, topic: "locked" });
  const msg = await fetchNext(worker.url, receiver);
  const lid = msg.get("lid");
  // Same issuer prefix (so it reaches the right object), other random part.
  const forged = lid.slice(0, -1) + (lid.endsWith("0") ? "1" : "0");

  await assertFormError(await ack(worker.url, mid, forged, 1), 400, "lock_mismatch");

  assert.equal((await ack(worker.url, mid, lid, 1)).status, 200);
  assert.equal(await fetchNext(worker.url, receiver), null);
});
