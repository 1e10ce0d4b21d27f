// GET /api/admin/fetchBlob returns the stored body: the form encoding, keys
// sorted, whose SHA-1 is the mid. A mid alone is enough: the Worker finds its
// mailbox in the KV directory it writes after each send.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { api, assertFormError, eventually, newBox, send, useWorker } from "./support.js";

const worker = useWorker();
const blob = (fields) => api(worker.url, "admin/fetchBlob", { method: "GET", fields });

test("the blob is the sorted form body and hashes to the mid", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, zeta: "last", alpha: "first" });
  const res = await blob({ mid, receiver });
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.equal(createHash("sha1").update(text).digest("hex"), mid);
  const keys = [...new URLSearchParams(text).keys()];
  assert.deepEqual(keys, [...keys].sort());
  assert.equal(new URLSearchParams(text).get("alpha"), "first");
});

test("a mid alone finds its mailbox through the directory", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, topic: "by mid" });
  const text = await eventually(async () => {
    const res = await blob({ mid });
    assert.equal(res.status, 200);
    return res.text();
  });
  assert.equal(new URLSearchParams(text).get("topic"), "by mid");
  assert.equal(new URLSearchParams(text).get("receiver"), receiver);
});

test("an unknown mid is 404 not_found, with or without a receiver", async () => {
  const mid = "0".repeat(40);
  await assertFormError(await blob({ mid }), 404, "not_found");
  await assertFormError(await blob({ mid, receiver: newBox() }), 404, "not_found");
});

test("a missing or malformed mid is 400 invalid_key", async () => {
  await assertFormError(await blob({}), 400, "invalid_key");
  await assertFormError(await blob({ mid: "xyz" }), 400, "invalid_key");
});
