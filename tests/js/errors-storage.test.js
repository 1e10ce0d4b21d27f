// A storage callback that fails surfaces as code `storage`, with the callback's
// own error as `.cause`; unreadable stored bytes surface as code `corrupt`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { rejectsWithCode } from "./support/errors.js";
import { snapshot } from "./support/storage.js";

/** memoryStorage whose `method` fails with `failure` while `armed` is true. */
function failing(method, failure, { reject = true } = {}) {
  const inner = memoryStorage();
  const state = { armed: false, inner };
  const storage = {
    ...inner,
    [method]: (/** @type {any} */ arg) => {
      if (!state.armed) return inner[method](arg);
      if (reject) return Promise.reject(failure);
      throw failure;
    },
  };
  return { storage, state };
}

for (const method of ["get", "list", "write"]) {
  test(`a rejecting storage.${method} is code storage with the original error as cause`, async () => {
    const failure = new Error(`disk on fire (${method})`);
    const { storage, state } = failing(method, failure);
    const server = new Server({ storage, clock: fakeClock().clock });
    await server.send({ sender: "ann", receiver: "bob", clientTime: 1, body: { k: "v" } });
    const before = await snapshot(state.inner);
    state.armed = true;
    const err = await rejectsWithCode(server.fetchLatest("bob"), "storage");
    assert.strictEqual(err.cause, failure);
    assert.ok(err.message.includes(`disk on fire (${method})`), err.message);
    assert.deepStrictEqual(await snapshot(state.inner), before);
    state.armed = false;
    assert.strictEqual((await server.fetchLatest("bob"))?.deliveryCount, 1, "the failed fetch counted");
  });
}

test("a callback that throws synchronously is code storage too", async () => {
  const failure = new TypeError("sync boom");
  const { storage, state } = failing("write", failure, { reject: false });
  const server = new Server({ storage, clock: fakeClock().clock });
  state.armed = true;
  const err = await rejectsWithCode(server.send({ sender: "ann", receiver: "bob", body: { k: "v" } }), "storage");
  assert.strictEqual(err.cause, failure);
  assert.deepStrictEqual(await snapshot(state.inner), []);
});

test("a rejection with a non-Error value is kept as cause", async () => {
  const { storage, state } = failing("get", "just a string");
  const server = new Server({ storage, clock: fakeClock().clock });
  state.armed = true;
  const err = await rejectsWithCode(server.fetchBlob("a".repeat(40)), "storage");
  assert.strictEqual(err.cause, "just a string");
});

test("a callback answering the wrong type is code storage", async () => {
  const inner = memoryStorage();
  const server = new Server({ storage: { ...inner, get: () => "not bytes" }, clock: fakeClock().clock });
  await rejectsWithCode(server.fetchBlob("a".repeat(40)), "storage");
});

test("a header with an unknown format byte is code corrupt", async () => {
  const inner = memoryStorage();
  const server = new Server({ storage: inner, clock: fakeClock().clock });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
  // Format 2 keeps one record per message under `m<mid>` (docs/design.md key layout).
  const records = await inner.list({ prefix: "m" });
  assert.strictEqual(records.length, 1, "expected one message record");
  const [key] = records[0];
  assert.ok(mid, "a mid");
  inner.write([[key, new Uint8Array([0xee, 1, 2])]]);
  await rejectsWithCode(server.fetchLatest("bob"), "corrupt");
});
