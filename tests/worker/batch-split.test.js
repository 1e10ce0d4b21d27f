// What only the Worker does with a batch: it splits a sendBatch over the
// objects of its mailboxes, so one object's own refusal (a limit only it
// checks) is reported for that mailbox, item by item, while the other
// mailboxes' items are enqueued; lids that name no object are answered
// without one. (`pandora-mq serve` holds every mailbox in one server, where
// the same batch is refused whole: see tests/http/batches.rs.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, assertFormError, fetchNext, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

const postJson = (route, body) =>
  fetch(`${worker.url}/api/${route}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });

const statsOf = async (receiver) => (await api(worker.url, "stats", { method: "GET", fields: { receiver }, json: true })).json();

test("an object's own refusal is reported for its mailbox, item by item", async () => {
  const [a, b] = [newBox("a"), newBox("b")];
  // Within the batch's 1 MiB, but past one message's size limit: only b's object knows.
  const big = "x".repeat(300_000);
  const items = [
    { sender: "s@x", receiver: a, n: "0" },
    { sender: "s@x", receiver: b, pad: big },
    { sender: "s@x", receiver: b, n: "2" },
  ];
  const res = await postJson("sendBatch", items);
  const reply = await res.json();
  assert.equal(res.status, 400, JSON.stringify(reply).slice(0, 300));
  assert.equal(reply.code, "message_too_big");
  assert.ok(reply.error.includes(b), reply.error);
  assert.match(reply.results[0].mid, /^[0-9a-f]{40}$/);
  assert.equal(reply.results[1].code, "message_too_big");
  assert.equal(reply.results[2].code, "message_too_big");
  assert.deepEqual([(await statsOf(a)).ready, (await statsOf(b)).ready], [1, 0], "b's part was refused whole");
});

test("extend and ackBatch items with a lid no object issued are answered without an object", async () => {
  const receiver = newBox();
  const mid = await send(worker.url, { sender: "a@x", receiver });
  await fetchNext(worker.url, receiver, { leaseTime: "1m" });
  await assertFormError(await api(worker.url, "extend", { fields: { mid, lid: "nobody", leaseTime: "1m" } }), 400, "not_found");
  const results = await (await postJson("ackBatch", [{ mid, lid: "nobody.0123", status: "confirmed" }])).json();
  assert.deepEqual(results.map((r) => r.code), ["not_found"]);
  assert.equal((await statsOf(receiver)).leased, 1, "still leased");
});
