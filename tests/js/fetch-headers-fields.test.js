// What fetchHeaders() reports per message: a `leased` flag, and never the lid or body.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

test("a header has the documented fields and no lid, body or validBody", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", delay: 500, clientTime: 9, body: { secret: "x" } });
  const [h] = await server.fetchHeaders("bob");
  assert.deepStrictEqual(h, {
    mid,
    status: "notDelivered",
    statusCode: 8,
    sender: "ann",
    receiver: "bob",
    receivedAt: time.now(),
    sendWhen: time.now() + 500,
    leasedUntil: 0,
    visibleAt: time.now() + 500,
    deliveryCount: 0,
    clientTime: 9,
    leased: false,
  });
});

test("a leased message is not listed; reenqueue lists it again once its lease ran out", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const msg = await server.fetchLatest("bob", { lease: 1000 });
  assert.deepStrictEqual(await server.fetchHeaders("bob"), [], "as in the Go original");
  assert.strictEqual((await server.stats("bob")).leased, 1, "stats count it");
  const [leased] = await server.fetchHeaders("bob", { status: "leased" });
  assert.deepStrictEqual([leased.mid, leased.leased, leased.leasedUntil, leased.deliveryCount, leased.lid], [msg.mid, true, msg.leasedUntil, 1, undefined]);

  time.advance(1001);
  assert.deepStrictEqual(await server.fetchHeaders("bob"), [], "until reenqueue");
  assert.strictEqual(await server.reenqueue(), 1);
  let [h] = await server.fetchHeaders("bob");
  assert.strictEqual(h.leased, false);
  assert.strictEqual(h.status, "timeout");
  assert.strictEqual(h.leasedUntil, 0, "no lease runs");
  assert.strictEqual(h.deliveryCount, 1);
  assert.ok(msg.leasedUntil > 0);

  const again = await server.fetchLatest("bob");
  await server.ack(again.mid, again.lid, "rejected");
  [h] = await server.fetchHeaders("bob");
  assert.strictEqual(h.leased, false);
  assert.strictEqual(h.status, "rejected");
  assert.strictEqual(h.deliveryCount, 2);
});

test("visibleAt counts a rejected message's back-off down to its retry time", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock, retryBackoff: { initial: 2000 } });
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const first = await server.fetchLatest("bob", { lease: 1000 });
  await server.ack(first.mid, first.lid, "rejected");
  let [h] = await server.fetchHeaders("bob");
  assert.strictEqual(h.visibleAt, time.now() + 2000, "due again after the first back-off step");
  time.advance(1999);
  assert.strictEqual(await server.fetchLatest("bob"), null, "not due before visibleAt");
  time.advance(1);
  const second = await server.fetchLatest("bob", { lease: 1000 });
  assert.strictEqual(second.mid, first.mid);
  await server.ack(second.mid, second.lid, "rejected", { retryDelay: 5000 });
  [h] = await server.fetchHeaders("bob");
  assert.strictEqual(h.visibleAt, time.now() + 5000, "an explicit retryDelay sets it too");
  const [peeked] = await server.peek("bob");
  assert.strictEqual(peeked, undefined, "nothing is due while it counts down");
});
