// fetchBlob(mid): the stored form-encoded body while the message is pending, then null.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { rejectsWithCode } from "./support/errors.js";

test("the blob is the encoded body until the message is confirmed", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { topic: "a b", tag: ["1", "2"] } });
  const blob = await server.fetchBlob(mid);
  const fields = new URLSearchParams(blob);
  assert.strictEqual(fields.get("topic"), "a b");
  assert.deepStrictEqual(fields.getAll("tag"), ["1", "2"]);

  const msg = await server.fetchLatest("bob");
  assert.strictEqual(await server.fetchBlob(mid), blob, "a lease does not touch the blob");
  await server.ack(mid, msg.lid, "rejected");
  assert.strictEqual(await server.fetchBlob(mid), blob, "a reject does not touch the blob");
  const again = await server.fetchLatest("bob");
  await server.ack(mid, again.lid, "confirmed");
  assert.strictEqual(await server.fetchBlob(mid), null);
});

test("an unknown mid has no blob", async () => {
  const server = new Server({ clock: fakeClock().clock });
  assert.strictEqual(await server.fetchBlob("f".repeat(40)), null);
});

test("a malformed mid is invalid_key", async () => {
  const server = new Server({ clock: fakeClock().clock });
  await rejectsWithCode(server.fetchBlob("not-a-mid"), "invalid_key");
  await rejectsWithCode(server.fetchBlob("F".repeat(41)), "invalid_key");
});
