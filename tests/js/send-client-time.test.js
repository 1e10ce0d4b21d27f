// send()'s clientTime: ms, a Date or an RFC 3339 string, all the same instant;
// without one the server stamps its own time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

const instant = Date.UTC(2029, 5, 15, 12, 30, 45, 678);
const forms = [
  ["ms", instant],
  ["Date", new Date(instant)],
  ["RFC 3339 UTC", "2029-06-15T12:30:45.678Z"],
  ["RFC 3339 with offset", "2029-06-15T14:30:45.678+02:00"],
];

for (const [label, clientTime] of forms) {
  test(`clientTime as ${label} is kept as ms and written into the body`, async () => {
    const server = new Server({ clock: fakeClock().clock });
    await server.send({ sender: "ann", receiver: "bob", clientTime, body: { k: "v" } });
    assert.strictEqual((await server.fetchHeaders("bob"))[0].clientTime, instant);
    const msg = await server.fetchLatest("bob");
    assert.strictEqual(msg.clientTime, instant);
    assert.strictEqual(Date.parse(msg.body.clientTime), instant);
  });
}

test("every form of the same clientTime gives the same mid", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const receipts = [];
  for (const [, clientTime] of forms) receipts.push(await server.send({ sender: "ann", receiver: "bob", clientTime, body: { k: "v" } }));
  assert.strictEqual(new Set(receipts.map((r) => r.mid)).size, 1);
  assert.deepStrictEqual(receipts.map((r) => r.duplicate), [false, true, true, true]);
});

test("without a clientTime the server's time is used", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  time.advance(12_345);
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const msg = await server.fetchLatest("bob");
  assert.strictEqual(msg.clientTime, time.now());
  assert.strictEqual(Date.parse(msg.body.clientTime), time.now());
});

test("a different clientTime is a different message", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const a = await server.send({ sender: "ann", receiver: "bob", clientTime: instant, body: { k: "v" } });
  const b = await server.send({ sender: "ann", receiver: "bob", clientTime: instant + 1, body: { k: "v" } });
  assert.strictEqual(b.duplicate, false);
  assert.notStrictEqual(a.mid, b.mid);
});
