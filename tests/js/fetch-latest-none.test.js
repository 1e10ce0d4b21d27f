// fetchLatest() resolves to null whenever nothing is due.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

test("null for a mailbox that never received anything", async () => {
  const server = new Server({ clock: fakeClock().clock });
  assert.strictEqual(await server.fetchLatest("nobody"), null);
});

test("null while the only message is delayed, leased or confirmed", async () => {
  const time = fakeClock();
  const server = new Server({ clock: time.clock });
  await server.send({ sender: "ann", receiver: "bob", delay: 1000, body: { k: "v" } });
  assert.strictEqual(await server.fetchLatest("bob"), null, "delayed");
  time.advance(1000);
  const msg = await server.fetchLatest("bob");
  assert.notStrictEqual(msg, null);
  assert.strictEqual(await server.fetchLatest("bob"), null, "leased");
  await server.ack(msg.mid, msg.lid, "confirmed");
  assert.strictEqual(await server.fetchLatest("bob"), null, "confirmed");
});
