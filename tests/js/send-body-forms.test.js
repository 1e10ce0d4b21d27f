// send() takes a body as an object (arrays are repeated fields), as
// URLSearchParams or as an encoded string, and all three mean the same message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

const base = { sender: "ann", receiver: "bob", clientTime: 1_000 };

test("an object body keeps repeated fields in order and stringifies values", async () => {
  const server = new Server({ clock: fakeClock().clock });
  await server.send({ ...base, body: { tag: ["x", "y", 3], n: 3, ok: true, text: "a b&c=d" } });
  const msg = await server.fetchLatest("bob");
  assert.deepStrictEqual(msg.body.tag, ["x", "y", "3"]);
  assert.strictEqual(msg.body.n, "3");
  assert.strictEqual(msg.body.ok, "true");
  assert.strictEqual(msg.body.text, "a b&c=d");
  // The server adds who and when to the body.
  assert.strictEqual(msg.body.sender, "ann");
  assert.strictEqual(msg.body.receiver, "bob");
  assert.strictEqual(Date.parse(msg.body.clientTime), 1_000);
});

test("object, URLSearchParams and encoded string bodies are the same message", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const fromObject = await server.send({ ...base, body: { tag: ["x", "y"], n: "3" } });
  const fromParams = await server.send({ ...base, body: new URLSearchParams([["tag", "x"], ["n", "3"], ["tag", "y"]]) });
  const fromString = await server.send({ ...base, body: "n=3&tag=x&tag=y" });
  assert.deepStrictEqual(fromObject, { mid: fromObject.mid, duplicate: false });
  assert.deepStrictEqual(fromParams, { mid: fromObject.mid, duplicate: true });
  assert.deepStrictEqual(fromString, { mid: fromObject.mid, duplicate: true });
});

test("the order of a repeated field's values matters", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const xy = await server.send({ ...base, body: { tag: ["x", "y"] } });
  const yx = await server.send({ ...base, body: { tag: ["y", "x"] } });
  assert.strictEqual(yx.duplicate, false);
  assert.notStrictEqual(xy.mid, yx.mid);
});

test("the stored blob is form-encoded with fields sorted by name", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const { mid } = await server.send({ ...base, body: { zeta: "1", alpha: ["b", "a"] } });
  const fields = [...new URLSearchParams(await server.fetchBlob(mid))];
  const names = fields.map(([name]) => name);
  assert.deepStrictEqual(names, ["alpha", "alpha", "clientTime", "p-server", "receiver", "sender", "zeta"]);
  // Values of one name keep their order (the sort is stable).
  assert.deepStrictEqual(fields.filter(([name]) => name === "alpha").map(([, v]) => v), ["b", "a"]);
});

test("a send without a body carries only the server's fields", async () => {
  const server = new Server({ clock: fakeClock().clock });
  await server.send({ ...base });
  const { body } = await server.fetchLatest("bob");
  assert.deepStrictEqual(Object.keys(body).sort(), ["clientTime", "p-server", "receiver", "sender"]);
});
