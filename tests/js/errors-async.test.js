// The queue methods return Promises, so a bad argument must reject the
// promise, never throw synchronously: `server.send(x).catch(f)` must see it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, PandoraError } from "pandora-mq";
import { fakeClock } from "./support/clock.js";

const calls = [
  ["send with a bad delay", (s) => s.send({ sender: "a", receiver: "b", delay: "soon" }), "invalid_duration"],
  ["send with a bad clientTime", (s) => s.send({ sender: "a", receiver: "b", clientTime: "soon" }), "invalid_time"],
  ["send with a null body", (s) => s.send({ sender: "a", receiver: "b", body: null }), "nil_body"],
  ["fetchLatest with a bad lease", (s) => s.fetchLatest("b", { lease: "soon" }), "invalid_duration"],
  ["ack with a bad retryDelay", (s) => s.ack("a".repeat(40), "lid", "rejected", { retryDelay: "soon" }), "invalid_duration"],
];

for (const [label, call, code] of calls) {
  test(`${label} rejects instead of throwing`, async () => {
    const server = new Server({ clock: fakeClock().clock });
    let result;
    try {
      result = call(server);
    } catch (err) {
      assert.fail(`threw synchronously: ${err}`);
    }
    await assert.rejects(result, (err) => err instanceof PandoraError && err.code === code);
  });
}

test("a storage or state error rejects the promise", async () => {
  const server = new Server({ clock: fakeClock().clock });
  const pending = server.ack("a".repeat(40), "lid", "confirmed");
  assert.ok(pending instanceof Promise);
  await assert.rejects(pending, (err) => err instanceof PandoraError && err.code === "not_found");
});
