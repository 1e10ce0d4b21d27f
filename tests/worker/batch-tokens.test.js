// Scoped tokens on the batch and production routes through the Worker: a
// sendBatch needs `send` on every item's receiver (checked before any object
// is asked), an ackBatch item whose message lies in a mailbox outside the
// token is refused by that message's object (`forbidden`, nothing changed)
// while the others are settled; extend and stats need `consume`, cancel `admin`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { mintToken } from "pandora-mq";
import { api, assertFormError, newBox, useWorker } from "./support.js";

const FULL = "full-access-token";
const K1 = "k1: a secret of thirty-two bytes or more";
const worker = useWorker({ env: { PANDORA_TOKEN: FULL, PANDORA_SIGNING_KEYS: JSON.stringify({ k1: K1 }) } });

const token = (mailbox, ops) => mintToken({ mailbox, ops, expires: Date.now() + 3_600_000, kid: "k1" }, K1);
const auth = (t) => ({ Authorization: `Bearer ${t}` });

const postJson = (route, body, headers) =>
  fetch(`${worker.url}/api/${route}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
    body: JSON.stringify(body),
  });

const statsOf = async (receiver) =>
  (await api(worker.url, "stats", { method: "GET", fields: { receiver }, json: true, headers: auth(FULL) })).json();

test("sendBatch needs send on every item's receiver; nothing is enqueued otherwise", async () => {
  const [a, b] = [newBox("a"), newBox("b")];
  const items = [{ sender: "s", receiver: a }, { sender: "s", receiver: b }];
  const refused = await postJson("sendBatch", items, auth(token(a, ["send"])));
  assert.equal(refused.status, 403);
  assert.equal((await refused.json()).code, "forbidden");
  assert.deepEqual([(await statsOf(a)).ready, (await statsOf(b)).ready], [0, 0]);
  const consume = await postJson("sendBatch", [items[0]], auth(token(a, ["consume"])));
  assert.equal(consume.status, 403);
  const sent = await postJson("sendBatch", [items[0]], auth(token(a, ["send"])));
  assert.equal(sent.status, 200);
  assert.equal((await statsOf(a)).ready, 1);
});

test("ackBatch: an item of another mailbox is forbidden by its object, the rest settled", async () => {
  const [a, b] = [newBox("a"), newBox("b")];
  const sent = await postJson("sendBatch", [{ sender: "s", receiver: a }, { sender: "s", receiver: b }], auth(FULL));
  assert.equal(sent.status, 200);
  const lease = async (receiver) => {
    const res = await api(worker.url, "fetch", { fields: { receiver, max: "1" }, headers: auth(FULL) });
    return (await res.json())[0];
  };
  const [ma, mb] = [await lease(a), await lease(b)];
  const consumeA = auth(token(a, ["consume"]));
  const res = await postJson("ackBatch", [
    { mid: mb.mid, lid: mb.lid, status: "confirmed" },
    { mid: ma.mid, lid: ma.lid, status: "confirmed" },
  ], consumeA);
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).map((r) => (r.ok ? "ok" : r.code)), ["forbidden", "ok"]);
  assert.deepEqual([(await statsOf(a)).leased, (await statsOf(b)).leased], [0, 1], "b's message still leased");

  // extend needs consume on the lid's mailbox; cancel needs admin.
  await assertFormError(await api(worker.url, "extend", { fields: { mid: mb.mid, lid: mb.lid, leaseTime: "1m" }, headers: consumeA }), 403, "forbidden");
  await assertFormError(await api(worker.url, "cancel", { fields: { receiver: b, mid: mb.mid }, headers: auth(token(b, ["consume"])) }), 403, "forbidden");
  const cancelled = await api(worker.url, "cancel", { fields: { receiver: b, mid: mb.mid }, json: true, headers: auth(token(b, ["admin"])) });
  assert.deepEqual(await cancelled.json(), { cancelled: true });
});
