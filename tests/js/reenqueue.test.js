// reenqueue() releases expired leases (status timeout) and resolves to how many.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

test("counts only leases that have run out", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  for (const n of ["1", "2", "3"]) await server.send({ sender: "ann", receiver: "bob", body: { n } });
  await server.fetchLatest("bob", { lease: 1000 });
  await server.fetchLatest("bob", { lease: 1000 });
  await server.fetchLatest("bob", { lease: 5000 });
  assert.strictEqual(await server.reenqueue(), 0);
  time.advance(1001);
  assert.strictEqual(await server.reenqueue(), 2);
  assert.strictEqual(await server.reenqueue(), 0, "a released lease is not counted twice");
  time.advance(4000);
  assert.strictEqual(await server.reenqueue(), 1);
});

test("released messages are listed as timeout and not leased", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const msg = await server.fetchLatest("bob", { lease: 1000 });
  time.advance(1001);
  assert.strictEqual(await server.reenqueue(), 1);
  const [h] = await server.fetchHeaders("bob");
  assert.deepStrictEqual([h.mid, h.status, h.statusCode, h.leased], [mid, "timeout", 4, false]);
  // The old lid is gone with the lease.
  await assert.rejects(server.ack(mid, msg.lid, "confirmed"), { code: "lock_mismatch" });
  const again = await server.fetchLatest("bob");
  assert.deepStrictEqual([again.mid, again.status, again.deliveryCount], [mid, "timeout", 2]);
});

test("acked messages are never counted", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  await server.send({ sender: "ann", receiver: "bob", body: { n: "1" } });
  await server.send({ sender: "ann", receiver: "bob", body: { n: "2" } });
  const a = await server.fetchLatest("bob", { lease: 1000 });
  const b = await server.fetchLatest("bob", { lease: 1000 });
  await server.ack(a.mid, a.lid, "confirmed");
  await server.ack(b.mid, b.lid, "rejected");
  time.advance(10_000);
  assert.strictEqual(await server.reenqueue(), 0);
});
