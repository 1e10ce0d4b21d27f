// statusCode is decimal 1 or 2 only. Go parsed it in base 32, so "81"
// confirmed a message; here it is a 400 and the message stays leased.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ack, assertFormError, fetchNext, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

test('statusCode "81" is refused and changes nothing', async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, topic: "status" });
  const lid = (await fetchNext(worker.url, receiver)).get("lid");

  for (const bad of ["81", "82", "0", "4", ""]) {
    await assertFormError(await ack(worker.url, mid, lid, bad), 400, "unknown_status");
  }

  // Still leased to us, so the real confirm goes through.
  assert.equal((await ack(worker.url, mid, lid, 1)).status, 200);
});
