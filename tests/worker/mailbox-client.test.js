// The package's own HTTP client, `Mailbox` from "pandora-mq", end to end
// against the Worker (with a token, as a deployment would have).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Mailbox, PandoraError } from "pandora-mq";
import { eventually, newBox, useWorker } from "./support.js";

const TOKEN = "client-token";
const worker = useWorker({ env: { PANDORA_TOKEN: TOKEN } });

test("send, list, fetch, read the blob, reject, fetch again, confirm, reenqueue", async () => {
  const mailbox = new Mailbox(`${worker.url}/api`, { token: TOKEN });
  const receiver = newBox();

  const { mid } = await mailbox.send({ sender: "a@x", receiver, body: { topic: "hi", tag: ["x", "y"] } });
  assert.match(mid, /^[0-9a-f]{40}$/);

  const listed = await mailbox.fetchHeaders(receiver);
  assert.deepEqual(listed.map((h) => h.mid), [mid]);
  assert.equal(listed[0].statusCode, 8);

  const first = await mailbox.fetch(receiver, { lease: "1m" });
  assert.equal(first.mid, mid);
  assert.equal(first.body.topic, "hi");
  assert.deepEqual(first.body.tag, ["x", "y"]);
  assert.equal(typeof first.leasedUntil, "number");

  await assert.rejects(mailbox.ack(mid, `${first.lid.split(".")[0]}.${"0".repeat(32)}`, "confirmed"), (err) => {
    assert.ok(err instanceof PandoraError);
    assert.equal(err.code, "lock_mismatch");
    return true;
  });

  // By mid alone: the Worker's directory knows the mailbox (written after the send).
  const blob = await eventually(async () => {
    const text = await mailbox.fetchBlob(mid);
    assert.ok(text);
    return text;
  });
  assert.equal(new URLSearchParams(blob).get("topic"), "hi");
  assert.equal(await mailbox.fetchBlob("0".repeat(40)), null);

  await mailbox.ack(mid, first.lid, "rejected");
  const second = await mailbox.fetch(receiver, { lease: 60_000 });
  assert.equal(second.mid, mid);
  assert.equal(second.status, "rejected");
  await mailbox.ack(mid, second.lid, "confirmed");
  assert.equal(await mailbox.fetch(receiver), null);
  assert.equal(await mailbox.fetchBlob(mid), null, "a confirmed message's blob is collected");

  assert.equal(typeof (await mailbox.reenqueue()), "number");
});

test("a wrong token surfaces as PandoraError unauthorized", async () => {
  const mailbox = new Mailbox(`${worker.url}/api/`, { token: "wrong" });
  await assert.rejects(mailbox.fetch(newBox()), (err) => err instanceof PandoraError && err.code === "unauthorized");
});
