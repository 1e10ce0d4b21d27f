// 16 consumers fetch one message at the same moment: exactly one gets it, the
// other 15 get 204 (Go handed one message to 2-3 consumers at once).
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

test("16 parallel fetches of one message: one 200 carrying it, fifteen 204", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver, topic: "only once" });
  const replies = await Promise.all(
    Array.from({ length: 16 }, () => api(worker.url, "fetch", { fields: { receiver, leaseTime: "5m" } })),
  );
  const statuses = replies.map((r) => r.status).sort();
  assert.deepEqual(statuses, [200, ...Array(15).fill(204)]);
  const winner = replies.find((r) => r.status === 200);
  assert.equal(new URLSearchParams(await winner.text()).get("mid"), mid);
});
