// Routes match by path suffix, as in Go, so the API works under any prefix
// below /api/: /api/v1/queue/send is a send.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newBox, useWorker } from "./support.js";

const worker = useWorker();

test("send, fetch and ack under a deeper prefix", async () => {
  const base = `${worker.url}/api/v1/queue`;
  const receiver = newBox();
  const post = (route, fields) => fetch(`${base}/${route}`, { method: "POST", body: new URLSearchParams(fields) });

  const mid = new URLSearchParams(await (await post("send", { sender: "a@x", receiver })).text()).get("mid");
  const msg = new URLSearchParams(await (await post("fetch", { receiver })).text());
  assert.equal(msg.get("mid"), mid);
  assert.equal((await post("ack", { mid, lid: msg.get("lid"), statusCode: "1" })).status, 200);
});
