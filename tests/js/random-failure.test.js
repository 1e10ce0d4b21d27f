// A random source that throws fails that one operation with code `internal`,
// changes nothing, and leaves the Server working once the source recovers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

test("a throwing random source fails the operation, not the server", async () => {
  let broken = true;
  const random = (bytes) => {
    if (broken) throw new Error("entropy pool empty");
    bytes.fill(7);
  };
  const server = new Server({ random, clock: fakeClock().clock });
  await assert.rejects(server.send({ sender: "ann", receiver: "bob" }), (err) => {
    assert.strictEqual(err.name, "PandoraError");
    assert.strictEqual(err.code, "internal");
    assert.match(err.message, /entropy pool empty/);
    return true;
  });
  assert.deepStrictEqual(await server.fetchHeaders("bob"), []);
  broken = false;
  const { mid } = await server.send({ sender: "ann", receiver: "bob" });
  const msg = await server.fetchLatest("bob");
  assert.strictEqual(msg.mid, mid);
});
