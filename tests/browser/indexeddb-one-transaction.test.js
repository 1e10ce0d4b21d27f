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

/** Runs in a page: range reads made by 100 fetch+ack pairs in one burst. */
async function countRangeReads() {
  const { Server, indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const storage = indexedDbStorage(`range-reads-${Date.now()}`);
  const server = new Server({ storage, clock: () => 1_767_225_600_000 });
  await server.sendBatch(Array.from({ length: 100 }, (_, n) => ({ sender: "a", receiver: "b", body: { n } })));
  let reads = 0;
  const proto = IDBObjectStore.prototype;
  const names = ["getAllRecords", "getAllKeys"].filter((name) => typeof proto[name] === "function");
  const originals = names.map((name) => proto[name]);
  names.forEach((name, i) => {
    proto[name] = function (...args) {
      reads += 1;
      return originals[i].apply(this, args);
    };
  });
  let confirmed = 0;
  try {
    for (let m; (m = await server.fetchLatest("b")) !== null; confirmed++) await server.ack(m.mid, m.lid, "confirmed");
  } finally {
    names.forEach((name, i) => (proto[name] = originals[i]));
  }
  await storage.close();
  return { reads, confirmed };
}

test("a burst of fetches reads the delivery index once per read-ahead", { skip: browser.skip, timeout: 60_000 }, async () => {
  const page = await browser.openPage();
  const { reads, confirmed } = await page.evaluate(countRangeReads);
  await page.close();
  assert.strictEqual(confirmed, 100);
  // A list reads 16 entries ahead; each fetch uses one or two of them.
  assert.ok(reads <= 12, `${reads} range reads for 100 fetches`);
});

/** Runs in a page: record reads a burst of fetches waits for, and those read ahead. */
async function countRecordReads() {
  const { Server, indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const storage = indexedDbStorage(`prefetch-${Date.now()}`);
  const server = new Server({ storage, clock: () => 1_767_225_600_000 });
  await server.sendBatch(Array.from({ length: 50 }, (_, n) => ({ sender: "a", receiver: "b", body: { n } })));
  // A new hold: nothing the sends wrote is known any more.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const reads = { waited: 0, ahead: 0 };
  const original = IDBObjectStore.prototype.get;
  IDBObjectStore.prototype.get = function (key) {
    if (String(key).startsWith("m")) reads[new Error().stack?.includes("prefetch") ? "ahead" : "waited"] += 1;
    return original.call(this, key);
  };
  const bodies = [];
  try {
    for (let m; (m = await server.fetchLatest("b")) !== null;) {
      bodies.push(Number(m.body.n));
      await server.ack(m.mid, m.lid, "confirmed");
    }
  } finally {
    IDBObjectStore.prototype.get = original;
  }
  await storage.close();
  return { reads, bodies };
}

test("a fetch reads the next fetch's record ahead, in its own transaction", { skip: browser.skip, timeout: 60_000 }, async () => {
  const page = await browser.openPage();
  const { reads, bodies } = await page.evaluate(countRecordReads);
  await page.close();
  // One clock for the whole batch: they are due at once, in mid order.
  assert.deepStrictEqual(bodies.sort((a, b) => a - b), Array.from({ length: 50 }, (_, n) => n), "every message once");
  // The first fetch of the hold waits for its record; the next ones find it read ahead.
  assert.ok(reads.waited <= 3, `${reads.waited} record reads waited for`);
  assert.ok(reads.ahead >= 45, `${reads.ahead} record reads ahead`);
});
