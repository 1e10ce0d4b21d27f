// Every storage failure is the core's PandoraError with code storage, and its
// cause is that failure's own: the callback's rejection, or a TypeError naming
// the wrong shape. No cause outlives its error (a later failure never carries
// an earlier one's cause, also after a failure answered over HTTP).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage, PandoraError } from "pandora-mq";

function storageWith(overrides) {
  const inner = memoryStorage();
  return { get: (k) => inner.get(k), list: (o) => inner.list(o), write: (b) => inner.write(b), ...overrides };
}

test("a rejection is the cause; a wrong shape after it carries a TypeError, not the old rejection", async () => {
  const boom = new Error("disk gone");
  let mode = "reject";
  const storage = storageWith({
    get: () => (mode === "reject" ? Promise.reject(boom) : mode === "number" ? 42 : undefined),
    list: () => (mode === "list" ? "not an array" : []),
  });
  const server = new Server({ storage, clock: () => 1_000 });
  const first = await server.fetchBlob("0".repeat(40)).catch((e) => e);
  assert.ok(first instanceof PandoraError);
  assert.strictEqual(first.code, "storage");
  assert.strictEqual(first.cause, boom);

  mode = "number";
  const shape = await server.fetchBlob("0".repeat(40)).catch((e) => e);
  assert.ok(shape instanceof PandoraError);
  assert.strictEqual(shape.code, "storage");
  assert.match(shape.message, /storage.get result must be a Uint8Array/);
  assert.ok(shape.cause instanceof TypeError, "the shape error's own cause");

  mode = "list";
  const list = await server.fetchLatest("b").catch((e) => e);
  assert.strictEqual(list.code, "storage");
  assert.match(list.message, /storage.list must return an array/);
  assert.ok(list.cause instanceof TypeError);
});

test("a failure answered over HTTP leaves no cause for the next error", async () => {
  const boom = new Error("first");
  let fail = true;
  const storage = storageWith({ list: () => (fail ? Promise.reject(boom) : []) , get: () => 7 });
  const server = new Server({ storage, clock: () => 1_000 });
  const res = await server.handle(new Request("http://q.test/fetch", { method: "POST", body: new URLSearchParams({ receiver: "b" }) }));
  assert.strictEqual(res.status, 500);
  fail = false;
  const err = await server.fetchBlob("0".repeat(40)).catch((e) => e);
  assert.strictEqual(err.code, "storage");
  assert.notStrictEqual(err.cause, boom);
  assert.ok(err.cause instanceof TypeError);
});
