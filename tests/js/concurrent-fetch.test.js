// 100 concurrent fetchLatest calls on one Server with one due message: exactly
// one of them gets it, on the built-in store and on Promise-returning callbacks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Server, memoryStorage } from "pandora-mq";
import { fakeClock } from "./support/clock.js";
import { promiseStorage } from "./support/storage.js";

const stores = [
  ["built-in store", () => undefined],
  ["memoryStorage with Promise callbacks", () => promiseStorage(memoryStorage())],
];

for (const [name, makeStorage] of stores) {
  test(`${name}: 100 concurrent fetches, one message, one delivery`, async () => {
    const server = new Server({ storage: makeStorage(), clock: fakeClock().clock });
    const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { k: "v" } });
    const results = await Promise.all(Array.from({ length: 100 }, () => server.fetchLatest("bob")));
    const delivered = results.filter((r) => r !== null);
    assert.strictEqual(delivered.length, 1);
    assert.strictEqual(delivered[0].mid, mid);
    assert.strictEqual(delivered[0].deliveryCount, 1);
    await server.ack(mid, delivered[0].lid, "rejected");
    const [h] = await server.fetchHeaders("bob");
    assert.strictEqual(h.deliveryCount, 1, "a second delivery was written");
  });

  test(`${name}: 100 concurrent fetches over 10 messages deliver each once`, async () => {
    const server = new Server({ storage: makeStorage(), clock: fakeClock().clock });
    const mids = [];
    for (let i = 0; i < 10; i++) mids.push((await server.send({ sender: "ann", receiver: "bob", body: { i } })).mid);
    const results = await Promise.all(Array.from({ length: 100 }, () => server.fetchLatest("bob")));
    const delivered = results.filter((r) => r !== null).map((r) => r.mid);
    assert.deepStrictEqual([...delivered].sort(), [...mids].sort());
  });
}

test("control: the Promise store really interleaves unserialised callers", async () => {
  // Two read-modify-writes through the same store without a lock lose an update,
  // so the concurrency above was exercised, not avoided by the store.
  const store = promiseStorage(memoryStorage());
  const bump = async () => {
    const [entry] = await store.list({ prefix: "n" });
    const n = entry ? entry[1][0] : 0;
    await store.write([["n", new Uint8Array([n + 1])]]);
  };
  await Promise.all([bump(), bump()]);
  const [[, value]] = await store.list({ prefix: "n" });
  assert.strictEqual(value[0], 1);
});
