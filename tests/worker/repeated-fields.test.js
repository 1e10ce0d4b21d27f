// A repeated field keeps every value in the order sent, in the fetch reply
// and in the stored blob.
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, fetchNext, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

test("color=red&color=blue comes back as red then blue", async () => {
  const receiver = newBox();
  const fields = [["sender", "a@x"], ["receiver", receiver], ["color", "red"], ["color", "blue"], ["color", "green"]];
  const mid = await send(worker.url, fields);

  const msg = await fetchNext(worker.url, receiver);
  assert.deepEqual(msg.getAll("color"), ["red", "blue", "green"]);

  const blob = await api(worker.url, "admin/fetchBlob", { method: "GET", fields: { mid, receiver } });
  assert.equal(blob.status, 200);
  assert.deepEqual(new URLSearchParams(await blob.text()).getAll("color"), ["red", "blue", "green"]);
});
