// The maxSize option (default 4096): the encoded body may be at most that many bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { rejectsWithCode } from "./support/errors.js";

const input = { sender: "ann", receiver: "bob", clientTime: 1, body: { text: "x".repeat(100) } };

/** The size in bytes of `input`'s stored blob. */
async function blobSize() {
  const server = new Server({ clock: fakeClock().clock });
  const { mid } = await server.send(input);
  return Buffer.byteLength(await server.fetchBlob(mid));
}

test("a body of exactly maxSize bytes is accepted, one byte less of room is message_too_big", async () => {
  const size = await blobSize();
  const fits = new Server({ maxSize: size, clock: fakeClock().clock });
  assert.strictEqual((await fits.send(input)).duplicate, false);

  const tight = new Server({ maxSize: size - 1, clock: fakeClock().clock });
  const err = await rejectsWithCode(tight.send(input), "message_too_big");
  assert.match(err.message, new RegExp(`${size}`));
  assert.deepStrictEqual(await tight.fetchHeaders("bob"), [], "a refused send enqueued something");
});

test("the default maxSize is 4096 bytes", async () => {
  const size = await blobSize();
  const server = new Server({ clock: fakeClock().clock });
  const padding = 4096 - size;
  const atLimit = { ...input, body: { text: "x".repeat(100 + padding) } };
  assert.strictEqual((await server.send(atLimit)).duplicate, false);
  const overLimit = { ...input, body: { text: "x".repeat(101 + padding) } };
  await rejectsWithCode(server.send(overLimit), "message_too_big");
});
