// A trap inside wasm (any Rust panic in release: panic = abort) during an
// operation rejects that call with code internal, and every later call is
// refused with a clear error instead of running on a broken instance or hanging.
// Here the trap happens while a storage callback runs inside the operation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage, PandoraError } from "pandora-mq";
import { __trapForTests } from "../../node_modules/pandora-mq/pandora_mq.js";

test("a trap during an operation rejects it with internal; later calls are refused", async () => {
  const inner = memoryStorage();
  let trap = false;
  const storage = {
    get: (key) => (trap ? __trapForTests() : inner.get(key)),
    list: (o) => inner.list(o),
    write: (batch) => inner.write(batch),
  };
  const server = new Server({ storage, clock: () => 1_000 });
  const { mid } = await server.send({ sender: "a", receiver: "b", body: { x: "1" } });
  trap = true;
  const err = await server.fetchBlob(mid).catch((e) => e);
  assert.ok(err instanceof PandoraError);
  assert.strictEqual(err.code, "internal");
  assert.ok(err.cause instanceof WebAssembly.RuntimeError, "the trap is the cause");

  trap = false;
  for (const call of [() => server.fetchBlob(mid), () => server.fetchLatest("b"), async () => new Server().send({ sender: "a", receiver: "b" })]) {
    await assert.rejects(call(), (e) => e instanceof PandoraError && e.code === "internal" && /trapped earlier/.test(e.message));
  }
});
