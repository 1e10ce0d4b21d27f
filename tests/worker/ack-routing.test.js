// Go-client acks carry only mid, lid and statusCode. The lid names the
// Durable Object that issued it, so each ack reaches the right one of many
// mailboxes. A lid that names no object reaches none: no pending message can be
// found with it, so the reply is the package's 400 not_found (never a 500), and
// an empty lid is its 400 invalid_key.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ack, assertFormError, fetchNext, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

test("acks without a receiver reach the right object across 20 mailboxes", async () => {
  const boxes = Array.from({ length: 20 }, () => newBox());
  const leases = await Promise.all(
    boxes.map(async (receiver) => {
      const mid = await send(worker.url, { sender: "a@x", receiver, topic: receiver });
      const msg = await fetchNext(worker.url, receiver);
      assert.equal(msg.get("mid"), mid);
      return { receiver, mid, lid: msg.get("lid") };
    }),
  );
  // One object per mailbox: 20 different issuers.
  assert.equal(new Set(leases.map(({ lid }) => lid.split(".")[0])).size, 20);

  // Confirm half, reject the other half, all in parallel, none naming its mailbox.
  const replies = await Promise.all(leases.map(({ mid, lid }, i) => ack(worker.url, mid, lid, i % 2 ? 2 : 1)));
  assert.deepEqual(replies.map((r) => r.status), Array(20).fill(200));

  for (const [i, { receiver, mid }] of leases.entries()) {
    const next = await fetchNext(worker.url, receiver);
    if (i % 2) assert.equal(next?.get("mid"), mid, "a rejected message comes back");
    else assert.equal(next, null, "a confirmed message is gone");
  }
});

test("a lid naming no object is 400 not_found, and the message keeps its lease", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, topic: "held" });
  const lid = (await fetchNext(worker.url, receiver)).get("lid");
  const random = lid.slice(lid.lastIndexOf(".") + 1);
  for (const wrong of ["nodot", `.${random}`, `zz.${random}`, `${"f".repeat(64)}.${random}`, `${"0".repeat(63)}.${random}`]) {
    await assertFormError(await ack(worker.url, mid, wrong, 1), 400, "not_found");
  }
  assert.equal((await ack(worker.url, mid, lid, 1)).status, 200, "the real lid still holds the lease");
});

test("an empty or missing lid is 400 invalid_key", async () => {
  const mid = "0".repeat(40);
  await assertFormError(await ack(worker.url, mid, "", 1), 400, "invalid_key");
  await assertFormError(await ack(worker.url, mid, undefined, 1), 400, "invalid_key");
});
