// Runs the storage contract against the in-memory store, bare and through the
// fault-injection wrapper (with faults off, it must be invisible), and tests
// the wrapper's own fault behaviour.

import { test } from "node:test";
import assert from "node:assert/strict";

import { memoryStorage, faultyStorage } from "pandora-mq";
import { storageContract } from "./storage-contract.js";

storageContract("memory", () => memoryStorage(), { test, assert });
storageContract("faulty(memory)", () => faultyStorage(memoryStorage(), { failAt: Infinity }), { test, assert });

/**
 * A memory store with a promise-chain `exclusive`, so the contract's
 * exclusive tests also run in Node, through faultyStorage's pass-through.
 */
function lockedMemory() {
  /** @type {Promise<unknown>} */
  let tail = Promise.resolve();
  const exclusive = (/** @type {() => Promise<any>} */ fn) => {
    const run = tail.then(fn);
    tail = run.catch(() => {});
    return run;
  };
  return { ...memoryStorage(), exclusive };
}
storageContract("faulty(locked memory)", () => faultyStorage(lockedMemory()), { test, assert });

const bytes = (/** @type {number[]} */ ...values) => new Uint8Array(values);

test("memory: bad input throws TypeError synchronously", () => {
  const s = memoryStorage();
  assert.throws(() => s.write(/** @type {any} */ ("not a batch")), TypeError);
  assert.throws(() => s.write(/** @type {any} */ ([["k"]])), TypeError);
  assert.throws(() => s.write(/** @type {any} */ ([["k", "v"]])), TypeError);
  assert.throws(() => s.list(/** @type {any} */ ({})), TypeError);
});

test("memory: a Node Buffer is copied in and read back as a plain Uint8Array", () => {
  const s = memoryStorage();
  const buf = Buffer.from([1, 2, 3]);
  s.write([["b", buf]]);
  buf[0] = 9;
  const got = s.get("b");
  // deepStrictEqual also compares prototypes, so a Buffer would fail here.
  assert.deepStrictEqual(got, bytes(1, 2, 3));
});

test("faulty: the Nth call fails, the others pass through", async () => {
  const s = faultyStorage(memoryStorage(), { failAt: 3 });
  assert.strictEqual(s.failAt, 3);
  await s.write([["a", bytes(1)]]); // call 1
  assert.deepStrictEqual(await s.get("a"), bytes(1)); // call 2
  await assert.rejects(s.list({ prefix: "" }), { message: "injected fault at call 3" });
  assert.strictEqual(s.calls, 3);
  assert.deepStrictEqual(await s.list({ prefix: "" }), [["a", bytes(1)]]); // call 4
  assert.strictEqual(await s.get("b"), undefined); // call 5
  assert.strictEqual(s.calls, 5);
});

test("faulty: an injected write failure leaves the state unchanged", async () => {
  const inner = memoryStorage();
  const s = faultyStorage(inner, { failAt: 2 });
  await s.write([["a", bytes(1)], ["b", bytes(2)]]); // call 1
  await assert.rejects(
    s.write([
      ["a", null],
      ["c", bytes(3)],
    ]),
    /injected fault at call 2/,
  );
  assert.deepStrictEqual(inner.list({ prefix: "" }), [
    ["a", bytes(1)],
    ["b", bytes(2)],
  ]);
});

test("faulty: failAt can be changed between calls", async () => {
  const s = faultyStorage(memoryStorage());
  assert.strictEqual(s.failAt, Infinity);
  assert.strictEqual(await s.get("x"), undefined); // call 1
  s.failAt = s.calls + 1;
  await assert.rejects(s.get("x"), { message: "injected fault at call 2" });
  s.failAt = Infinity;
  assert.strictEqual(await s.get("x"), undefined); // call 3
  assert.strictEqual(s.calls, 3);
});

test("faulty: failing every call in turn never half-applies a write", async () => {
  // The pattern the queue tests use: one scenario, with a fault at each call.
  for (let failAt = 1; failAt <= 3; failAt++) {
    const inner = memoryStorage();
    const s = faultyStorage(inner, { failAt });
    const steps = [
      () => s.write([["m/1", bytes(1)], ["m/2", bytes(2)]]),
      () => s.write([["m/1", null], ["done", bytes(1)]]),
      () => s.write([["m/2", null]]),
    ];
    for (const [i, step] of steps.entries()) {
      if (i + 1 === failAt) await assert.rejects(step(), /injected fault/);
      else await step();
    }
    const keys = inner.list({ prefix: "" }).map(([k]) => k);
    const expected = [["done"], ["m/1"], ["done", "m/2"]][failAt - 1];
    assert.deepStrictEqual(keys, expected, `failAt ${failAt}`);
  }
});

test("faulty: exclusive is offered only when the inner store has it", async () => {
  assert.strictEqual("exclusive" in faultyStorage(memoryStorage()), false);
  const locked = { ...memoryStorage(), exclusive: async (/** @type {() => any} */ fn) => fn() };
  const s = faultyStorage(locked, { failAt: 1 });
  assert.strictEqual(await s.exclusive?.(async () => 5), 5);
  assert.strictEqual(s.calls, 0); // locking is not counted as a storage call
});
