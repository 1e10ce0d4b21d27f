// The lidPrefix option: `<prefix>.<128 random bits in hex><where its delivery entry is>` lock ids.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

test("lids carry the prefix and still ack", async () => {
  const server = new Server({ lidPrefix: "do-7_A", clock: fakeClock().clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const msg = await server.fetchLatest("bob");
  assert.match(msg.lid, /^do-7_A\.[0-9a-f]{32}[-0-9A-Za-z_]{11}$/);
  await server.ack(mid, msg.lid, "confirmed");
  assert.strictEqual(await server.fetchBlob(mid), null);
});

test("without a prefix a lid is 32 hex digits (128 bits) and 11 digits naming its entry", async () => {
  const server = new Server({ clock: fakeClock().clock });
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  assert.match((await server.fetchLatest("bob")).lid, /^[0-9a-f]{32}[-0-9A-Za-z_]{11}$/);
});

test("a lid from a server with another prefix does not ack", async () => {
  const server = new Server({ lidPrefix: "one", clock: fakeClock().clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const msg = await server.fetchLatest("bob");
  const forged = msg.lid.replace(/^one\./, "two.");
  await assert.rejects(server.ack(mid, forged, "confirmed"), { code: "lock_mismatch" });
});
