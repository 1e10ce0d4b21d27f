// State lives on disk: a message sent before Miniflare is disposed is still
// there, fetchable, after a restart on the same directory; so is the KV
// directory entry that finds it by mid.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { startWorker } from "./start-miniflare.js";
import { api, eventually, fetchNext, newBox, send } from "./support.js";

const dir = await mkdtemp(join(tmpdir(), "pandora-persist-"));
after(() => rm(dir, { recursive: true, force: true }));

test("a message survives a restart of the runtime", async () => {
  const receiver = newBox();
  let worker = await startWorker({ persist: dir });
  let mid;
  try {
    mid = await send(worker.url, { sender: "a@x", receiver, topic: "durable" });
    // The directory is written after the reply: wait until it is there before stopping.
    await eventually(async () => {
      assert.equal((await api(worker.url, "admin/fetchBlob", { method: "GET", fields: { mid } })).status, 200);
    });
  } finally {
    await worker.dispose();
  }

  worker = await startWorker({ persist: dir });
  try {
    const blob = await api(worker.url, "admin/fetchBlob", { method: "GET", fields: { mid } });
    assert.equal(blob.status, 200);
    const msg = await fetchNext(worker.url, receiver);
    assert.equal(msg.get("mid"), mid);
    assert.equal(msg.get("topic"), "durable");
  } finally {
    await worker.dispose();
  }
});
