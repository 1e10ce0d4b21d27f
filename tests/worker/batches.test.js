// sendBatch and ackBatch through the Worker: items of several mailboxes go to
// their own objects, results come back in input order; a bad item refuses the
// whole batch before any object enqueues; ackBatch items find their objects
// by lid, each settled on its own.
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, fetchNext, newBox, useWorker } from "./support.js";

const worker = useWorker();

const postJson = (route, body, headers = {}) =>
  fetch(`${worker.url}/api/${route}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const ok = async (res) => {
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text);
};

const statsOf = async (receiver) => ok(await api(worker.url, "stats", { method: "GET", fields: { receiver }, json: true }));

test("a batch over three mailboxes is answered in input order, each message in its own mailbox", async () => {
  const [a, b, c] = [newBox("a"), newBox("b"), newBox("c")];
  const order = [a, b, a, c, b, a];
  const items = order.map((receiver, n) => ({ sender: "s@x", receiver, n: String(n) }));
  const receipts = await ok(await postJson("sendBatch", items));
  assert.equal(receipts.length, 6);
  assert.ok(receipts.every((r) => /^[0-9a-f]{40}$/.test(r.mid) && r.duplicate === false));
  assert.deepEqual([(await statsOf(a)).ready, (await statsOf(b)).ready, (await statsOf(c)).ready], [3, 2, 1]);
  // Each receipt's mid is the message its item (body field n) put into its mailbox.
  for (const box of [a, b, c]) {
    const got = await ok(await api(worker.url, "fetch", { fields: { receiver: box, max: "10" } }));
    const expected = order.flatMap((r, i) => (r === box ? [String(i)] : []));
    assert.deepEqual(got.map((m) => m.body.n).sort(), expected, box);
    for (const m of got) assert.equal(m.mid, receipts[Number(m.body.n)].mid);
  }
});

test("one bad item refuses the whole batch, naming its index, and no mailbox gets anything", async () => {
  const [a, b] = [newBox("a"), newBox("b")];
  const good = (receiver) => ({ sender: "s@x", receiver });
  const cases = [
    [[good(a), good(b), { sender: "s@x", receiver: b, delay: "soon" }], "invalid_duration", "item 2"],
    [[good(a), { sender: "s@x" }, good(b)], "invalid_mailbox", "item 1"],
    [[good(a), { sender: "s@x", receiver: b, lid: "x" }], "reserved_field", "item 1"],
    [Array.from({ length: 101 }, () => good(a)), "bad_request", "at most 100"],
    [good(a), "bad_request", "JSON array"],
  ];
  for (const [body, code, says] of cases) {
    const res = await postJson("sendBatch", body);
    const reply = await res.json();
    assert.equal(res.status, 400, JSON.stringify(reply));
    assert.equal(reply.code, code);
    assert.ok(reply.error.includes(says), reply.error);
  }
  assert.deepEqual([(await statsOf(a)).ready, (await statsOf(b)).ready], [0, 0]);
});

test("ackBatch settles items of several mailboxes by their lids, each on its own", async () => {
  const [a, b] = [newBox("a"), newBox("b")];
  await ok(await postJson("sendBatch", [a, b, a].map((receiver) => ({ sender: "s@x", receiver }))));
  const [a1, a2] = await ok(await api(worker.url, "fetch", { fields: { receiver: a, max: "2", leaseTime: "1m" } }));
  const b1 = JSON.parse(JSON.stringify(Object.fromEntries(await fetchNext(worker.url, b, { leaseTime: "1m" }))));
  const results = await ok(
    await postJson("ackBatch", [
      { mid: a1.mid, lid: a1.lid, status: "confirmed" },
      { mid: b1.mid, lid: b1.lid, statusCode: 1 },
      { mid: a2.mid, lid: a2.lid, status: "rejected", retryDelay: "1h" },
      { mid: a1.mid, lid: "no-object.lid", status: "confirmed" },
      { mid: b1.mid, lid: b1.lid, status: "confirmed" },
      { mid: "zz", lid: a1.lid, status: "confirmed" },
    ]),
  );
  assert.deepEqual(
    results.map((r) => (r.ok ? "ok" : r.code)),
    ["ok", "ok", "ok", "not_found", "not_found", "invalid_key"],
  );
  const [sa, sb] = [await statsOf(a), await statsOf(b)];
  assert.deepEqual([sa.ready, sa.delayed, sa.leased, sb.ready, sb.leased], [0, 1, 0, 0, 0]);
  assert.deepEqual(await ok(await postJson("ackBatch", [])), []);
  const bad = await postJson("ackBatch", "{}");
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).code, "bad_request");
});
