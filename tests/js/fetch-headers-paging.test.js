// fetchHeaders(receiver, { after, afterMid, limit }): pending headers, oldest
// first, paged by the last header's receivedAt and mid.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

/** Five messages: three in the same millisecond, then two later ones. */
async function fiveMessages() {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  const mids = [];
  for (const n of ["a", "b", "c"]) mids.push((await server.send({ sender: "ann", receiver: "bob", body: { n } })).mid);
  time.advance(10);
  mids.push((await server.send({ sender: "ann", receiver: "bob", body: { n: "d" } })).mid);
  time.advance(10);
  mids.push((await server.send({ sender: "ann", receiver: "bob", body: { n: "e" } })).mid);
  return { server, time, mids };
}

test("without options every pending header comes back, oldest first", async () => {
  const { server, mids } = await fiveMessages();
  const headers = await server.fetchHeaders("bob");
  assert.strictEqual(headers.length, 5);
  // Same-millisecond messages come in mid order, later ones after them.
  assert.deepStrictEqual(headers.slice(0, 3).map((h) => h.mid), mids.slice(0, 3).sort());
  assert.deepStrictEqual(headers.slice(3).map((h) => h.mid), mids.slice(3));
  const times = headers.map((h) => h.receivedAt);
  assert.deepStrictEqual(times, [...times].sort((a, b) => a - b));
});

test("limit caps a page; after + afterMid continue exactly where it stopped", async () => {
  const { server } = await fiveMessages();
  const all = (await server.fetchHeaders("bob")).map((h) => h.mid);
  const seen = [];
  let page = await server.fetchHeaders("bob", { limit: 2 });
  while (page.length > 0) {
    assert.ok(page.length <= 2);
    seen.push(...page.map((h) => h.mid));
    const last = page[page.length - 1];
    page = await server.fetchHeaders("bob", { after: last.receivedAt, afterMid: last.mid, limit: 2 });
  }
  assert.deepStrictEqual(seen, all);
});

test("after alone skips everything received at or before it", async () => {
  const { server, time, mids } = await fiveMessages();
  const later = await server.fetchHeaders("bob", { after: time.now() - 20 });
  assert.deepStrictEqual(later.map((h) => h.mid), mids.slice(3));
  assert.deepStrictEqual(await server.fetchHeaders("bob", { after: time.now() }), []);
});

test("limit defaults to 100, the largest page in process and over HTTP", async () => {
  const server = new Server({ clock: fakeClock().clock });
  for (let i = 0; i < 101; i++) await server.send({ sender: "ann", receiver: "bob", body: { i } });
  assert.strictEqual((await server.fetchHeaders("bob")).length, 100);
  await assert.rejects(server.fetchHeaders("bob", { limit: 101 }), {
    code: "out_of_range", message: "out of range: limit must be between 1 and 100, got 101",
  });
});

test("confirmed and leased messages leave the listing; rejected ones stay", async () => {
  const { server, mids } = await fiveMessages();
  const a = await server.fetchLatest("bob");
  await server.ack(a.mid, a.lid, "confirmed");
  const b = await server.fetchLatest("bob");
  await server.ack(b.mid, b.lid, "rejected");
  const c = await server.fetchLatest("bob"); // leased
  const listed = (await server.fetchHeaders("bob")).map((h) => h.mid);
  assert.strictEqual(listed.length, 3);
  assert.ok(!listed.includes(a.mid) && !listed.includes(c.mid));
  assert.ok(listed.includes(b.mid));
  assert.deepStrictEqual([...listed].sort(), mids.filter((m) => m !== a.mid && m !== c.mid).sort());
});
