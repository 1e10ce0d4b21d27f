// Inside `exclusive`, one queue operation (its reads and its write) runs in ONE
// IndexedDB transaction: fewer round trips, and the write commits with what it read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useChromium } from "./support/session.js";

const browser = useChromium();

/** Runs in a page: transactions opened by each operation of a send/fetch/ack round. */
async function countTransactions() {
  const { Server, indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  let opened = 0;
  const original = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (...args) {
    opened += 1;
    return original.apply(this, args);
  };
  const storage = indexedDbStorage(`one-tx-${Date.now()}`);
  const server = new Server({ storage, clock: () => 1_767_225_600_000 });
  const counts = {};
  const count = async (name, op) => {
    const before = opened;
    const result = await op();
    counts[name] = opened - before;
    return result;
  };
  await count("first send", () => server.send({ sender: "a", receiver: "b", body: { n: 0 } }));
  await count("send", () => server.send({ sender: "a", receiver: "b", body: { n: 1 } }));
  const msg = await count("fetchLatest", () => server.fetchLatest("b"));
  await count("ack", () => server.ack(msg.mid, msg.lid, "confirmed"));
  const left = await count("fetchHeaders", () => server.fetchHeaders("b"));
  await storage.close();
  IDBDatabase.prototype.transaction = original;
  return { counts, left: left.length };
}

test("each operation inside exclusive opens exactly one transaction", { skip: browser.skip, timeout: 60_000 }, async () => {
  const page = await browser.openPage();
  const { counts, left } = await page.evaluate(countTransactions);
  await page.close();
  assert.strictEqual(left, 1, "one message is still pending");
  assert.deepStrictEqual(counts, { "first send": 1, send: 1, fetchLatest: 1, ack: 1, fetchHeaders: 1 });
});
