// A body over 4096 bytes is refused with 400 message_too_big and stores
// nothing (Go accepted 200 KB).
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, assertFormError, fetchNext, newBox, useWorker } from "./support.js";

const worker = useWorker();

test("an oversize send is a 400 and leaves the mailbox empty", async () => {
  const receiver = newBox();
  const fields = { sender: "a@x", receiver, text: "x".repeat(5000) };
  await assertFormError(await api(worker.url, "send", { fields }), 400, "message_too_big");
  assert.equal(await fetchNext(worker.url, receiver), null);
});
