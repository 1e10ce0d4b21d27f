// GET /api/admin/headers lists a mailbox's pending messages as Go's JSON (an
// array of objects whose values are arrays of strings, keys sorted), oldest
// first, in pages; 204 when there are none.
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, fetchNext, headersOf, newBox, send, useWorker } from "./support.js";

const worker = useWorker();

test("an empty mailbox lists nothing: 204", async () => {
  const res = await api(worker.url, "admin/headers", { method: "GET", fields: { receiver: newBox(), receivedat: "-1h" } });
  assert.equal(res.status, 204);
  assert.equal(await res.text(), "");
});

test("pending messages are listed as JSON arrays of strings, leased ones left out (as Go does)", async () => {
  const receiver = newBox();
  const mids = [];
  for (const topic of ["one", "two", "three"]) mids.push(await send(worker.url, { sender: "a@x", receiver, topic }));
  const leased = (await fetchNext(worker.url, receiver, { leaseTime: "5m" })).get("mid");

  const res = await api(worker.url, "admin/headers", { method: "GET", fields: { receiver, receivedat: "-1h" } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  const list = await res.json();
  assert.deepEqual(list.map((h) => h.mid[0]), mids.filter((mid) => mid !== leased));
  for (const header of list) {
    const keys = Object.keys(header);
    assert.deepEqual(keys, [...keys].sort());
    for (const value of Object.values(header)) {
      assert.ok(Array.isArray(value) && value.every((v) => typeof v === "string"));
    }
    assert.deepEqual(header.lid, [""]); // a lid is the lease holder's secret
    assert.deepEqual(header.leased, ["false"]);
    assert.deepEqual(header.receiver, [receiver]);
  }
});

test("pages continue after the last header's receivedAt and mid", async () => {
  const receiver = newBox();
  const mids = [];
  for (let i = 0; i < 5; i++) mids.push(await send(worker.url, { sender: "a@x", receiver, n: String(i) }));
  const seen = [];
  let page = await headersOf(worker.url, receiver, { limit: "2" });
  while (page.length > 0) {
    seen.push(...page.map((h) => h.mid[0]));
    const last = page.at(-1);
    page = await headersOf(worker.url, receiver, { limit: "2", receivedat: last.receivedAt[0], after: last.mid[0] });
  }
  assert.deepEqual(seen, mids);
});

test("without a receiver it is a 400 invalid_mailbox", async () => {
  const res = await api(worker.url, "admin/headers", { method: "GET", json: true });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).code, "invalid_mailbox");
});
