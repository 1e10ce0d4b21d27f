// With PANDORA_ADMIN not "on" the admin routes do not exist (404, as for any
// unknown path); the rest of the API works.
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, assertFormError, fetchNext, newBox, send, useWorker } from "./support.js";

const worker = useWorker({ env: { PANDORA_ADMIN: "off" } });

test("admin routes are 404 and touch nothing", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, topic: "private" });
  for (const route of ["admin/headers", "admin/fetchBlob", "admin/reenqueue"]) {
    const res = await api(worker.url, route, { method: "GET", fields: { receiver, mid, receivedat: "-1h" } });
    await assertFormError(res, 404, "not_found");
  }
  await assertFormError(await api(worker.url, "admin/reenqueue", { fields: { receiver } }), 404, "not_found");
  assert.equal((await fetchNext(worker.url, receiver)).get("mid"), mid);
});

test("with admin off, a send writes nothing to the KV directory (only admin routes read it)", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, topic: "no directory" });
  // A control send through an admin-on Worker shows up in KV: see admin-reenqueue.test.js.
  // Flush the Worker's waitUntil work with one more request before looking.
  await fetchNext(worker.url, receiver);
  const kv = await worker.mf.getKVNamespace("DIRECTORY");
  assert.equal(await kv.get(`mid/${mid}`), null);
  assert.deepEqual((await kv.list({ prefix: `mailbox/${receiver}` })).keys, []);
});
