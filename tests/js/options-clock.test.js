// The clock option: every operation reads the time from it once, at its start.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";

test("each operation reads the injected clock", async () => {
  const readings = [];
  let t = 1_000_000;
  const server = new Server({ clock: () => (readings.push(t), t) });
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  t = 2_000_000;
  const msg = await server.fetchLatest("bob", { lease: 10 });
  assert.strictEqual(msg.receivedAt, 1_000_000);
  assert.strictEqual(msg.leasedUntil, 2_000_010);
  t = 3_000_000;
  await server.fetchHeaders("bob");
  await server.reenqueue();
  assert.deepStrictEqual(readings, [1_000_000, 2_000_000, 3_000_000, 3_000_000]);
});

test("the default clock is Date.now", async () => {
  const server = new Server();
  const before = Date.now();
  await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  const after = Date.now();
  const [h] = await server.fetchHeaders("bob");
  assert.ok(h.receivedAt >= before && h.receivedAt <= after, `${h.receivedAt} not in [${before}, ${after}]`);
});

test("a clock that returns no finite number is refused, and nothing is stored", async () => {
  let t = Number.NaN;
  const server = new Server({ clock: () => t });
  for (const bad of [Number.NaN, Infinity, "12"]) {
    t = bad;
    await assert.rejects(server.send({ sender: "ann", receiver: "bob" }), { name: "PandoraError", code: "bad_request" });
  }
  t = 5;
  assert.deepStrictEqual(await server.fetchHeaders("bob"), []);
});
