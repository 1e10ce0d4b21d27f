// What a delivered message looks like: deliveryCount counts this delivery, and
// `status` says how the message came back (notDelivered, rejected, timeout).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

test("a delivered message has exactly the documented fields", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", clientTime: 7, body: { k: "v" } });
  const msg = await server.fetchLatest("bob", { lease: "1s" });
  assert.deepStrictEqual(Object.keys(msg).sort(), [
    "body", "clientTime", "deliveryCount", "leasedUntil", "lid", "mid", "receivedAt", "receiver",
    "sendWhen", "sender", "status", "statusCode", "validBody", "visibleAt",
  ]);
  assert.strictEqual(msg.mid, mid);
  assert.match(msg.lid, /^[0-9a-f]{32}[-0-9A-Za-z_]{11}$/);
  assert.strictEqual(msg.sender, "ann");
  assert.strictEqual(msg.receiver, "bob");
  assert.strictEqual(msg.receivedAt, time.now());
  assert.strictEqual(msg.sendWhen, time.now());
  assert.strictEqual(msg.leasedUntil, time.now() + 1000);
  assert.strictEqual(msg.visibleAt, msg.leasedUntil + 1, "a leased message is due again just after its lease ends");
  assert.strictEqual(msg.clientTime, 7);
  assert.strictEqual(msg.validBody, true);
  assert.strictEqual(msg.body.k, "v");
});

test("status goes notDelivered -> rejected -> timeout while deliveryCount counts up", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });

  const first = await server.fetchLatest("bob", { lease: 1000 });
  assert.deepStrictEqual([first.status, first.statusCode, first.deliveryCount], ["notDelivered", 8, 1]);
  await server.ack(first.mid, first.lid, "rejected");

  const second = await server.fetchLatest("bob", { lease: 1000 });
  assert.deepStrictEqual([second.status, second.statusCode, second.deliveryCount], ["rejected", 2, 2]);
  time.advance(1001); // let the lease run out

  const third = await server.fetchLatest("bob", { lease: 1000 });
  assert.deepStrictEqual([third.status, third.statusCode, third.deliveryCount], ["timeout", 4, 3]);
  await server.ack(third.mid, third.lid, "rejected");

  const fourth = await server.fetchLatest("bob", { lease: 1000 });
  assert.deepStrictEqual([fourth.status, fourth.deliveryCount], ["rejected", 4]);
});

test("every delivery gets a fresh lid", async () => {
  const server = new Server({ clock: fakeClock().clock });
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const lids = new Set();
  for (let i = 0; i < 5; i++) {
    const msg = await server.fetchLatest("bob");
    lids.add(msg.lid);
    await server.ack(msg.mid, msg.lid, "rejected");
  }
  assert.strictEqual(lids.size, 5);
});
