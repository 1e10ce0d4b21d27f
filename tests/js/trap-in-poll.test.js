// A trap while the core resumes an operation after a storage Promise settled
// (the step that used to run in a microtask, where a trap left the caller's
// Promise pending forever) rejects the call with code internal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage, PandoraError } from "pandora-mq";
import { Pending, __trapForTests } from "../../node_modules/pandora-mq/pandora_mq.js";

test("a trap while resuming after an async storage call settles the call with internal", async () => {
  const inner = memoryStorage();
  const later = (value) => new Promise((resolve) => setTimeout(() => resolve(value), 1));
  const storage = {
    get: async (key) => later(await inner.get(key)),
    list: async (o) => later(await inner.list(o)),
    write: async (batch) => later(await inner.write(batch)),
  };
  const server = new Server({ storage, clock: () => 1_000 });
  await server.send({ sender: "a", receiver: "b", body: { x: "1" } });
  const poll = Pending.prototype.poll;
  // The next resumption of any pending operation executes a real trap first.
  Pending.prototype.poll = function () {
    __trapForTests();
    return poll.call(this);
  };
  try {
    const err = await server.fetchLatest("b").catch((e) => e);
    assert.ok(err instanceof PandoraError);
    assert.strictEqual(err.code, "internal");
    assert.ok(err.cause instanceof WebAssembly.RuntimeError);
  } finally {
    Pending.prototype.poll = poll;
  }
  await assert.rejects(server.fetchLatest("b"), { code: "internal" });
});
