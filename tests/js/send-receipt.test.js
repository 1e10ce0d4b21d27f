// send() resolves to { mid, duplicate }; the mid is the SHA-1 of the stored blob.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

const sha1 = (/** @type {string} */ text) => createHash("sha1").update(Buffer.from(text, "utf8")).digest("hex");

test("the receipt is exactly { mid, duplicate }", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const receipt = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  assert.deepStrictEqual(Object.keys(receipt).sort(), ["duplicate", "mid"]);
  assert.match(receipt.mid, /^[0-9a-f]{40}$/);
  assert.strictEqual(receipt.duplicate, false);
});

test("mid is the SHA-1 of fetchBlob(mid)'s bytes", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const bodies = [{ k: "v" }, { text: "héllo wörld ✓", tag: ["1", "2"] }, "raw=%2A~+x"];
  for (const body of bodies) {
    const { mid } = await server.send({ sender: "ann", receiver: "bob", body });
    const blob = await server.fetchBlob(mid);
    assert.strictEqual(sha1(blob), mid, `blob ${blob}`);
  }
});

test("the same fields for another receiver are another mid", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const toBob = await server.send({ sender: "ann", receiver: "bob", clientTime: 5, body: { k: "v" } });
  const toCarol = await server.send({ sender: "ann", receiver: "carol", clientTime: 5, body: { k: "v" } });
  assert.strictEqual(toCarol.duplicate, false);
  assert.notStrictEqual(toBob.mid, toCarol.mid);
});
