// At the last millisecond of a lease (now == leasedUntil) the holder may still
// ack (ack accepts now <= leasedUntil, and stats still count it leased),
// so nobody else may be handed the message yet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

test("the lease's last millisecond still belongs to its holder", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const held = await server.fetchLatest("bob", { lease: 1000 });
  time.set(held.leasedUntil);
  assert.strictEqual((await server.stats("bob")).leased, 1, "stats say the lease still runs");
  assert.strictEqual(await server.fetchLatest("bob"), null, "redelivered while the lease still runs");
  await server.ack(mid, held.lid, "confirmed");
});

test("one millisecond after the lease the message is due again", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const held = await server.fetchLatest("bob", { lease: 1000 });
  time.set(held.leasedUntil + 1);
  assert.strictEqual((await server.fetchLatest("bob"))?.mid, mid);
});
