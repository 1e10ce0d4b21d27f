// The IndexedDB storage keeps its Web Lock across a burst of operations and
// answers reads from the rows it read or wrote under it: fewer lock requests
// and reads (counted), yet never a stale row once another storage had the
// lock, and another storage waiting for the lock gets it within a burst.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useChromium } from "./support/session.js";

const browser = useChromium();

/** Runs in a page: Web Lock requests and IndexedDB reads made by sends, fetches and acks. */
async function countInPage() {
  const { Server, indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const counts = { lock: 0, get: 0, list: 0 };
  const wrap = (proto, name, counter) => {
    const original = proto[name];
    proto[name] = function (...args) {
      counts[counter] += 1;
      return original.apply(this, args);
    };
  };
  wrap(LockManager.prototype, "request", "lock");
  wrap(IDBObjectStore.prototype, "get", "get");
  for (const name of ["getAll", "getAllRecords", "openCursor"]) if (IDBObjectStore.prototype[name]) wrap(IDBObjectStore.prototype, name, "list");
  const take = () => {
    const taken = { ...counts };
    for (const k of Object.keys(counts)) counts[k] = 0;
    return taken;
  };
  const storage = indexedDbStorage(`held-${Date.now()}`);
  const server = new Server({ storage, clock: () => 1_767_225_600_000 });
  for (let i = 0; i < 64; i++) await server.send({ sender: "a", receiver: "b", body: { i } });
  const sends = take();
  const acks = [];
  for (let i = 0; i < 8; i++) {
    const m = await server.fetchLatest("b");
    take();
    await server.ack(m.mid, m.lid, "confirmed");
    acks.push(take());
  }
  await storage.close();
  return { sends, acks };
}

test("a burst of operations takes the Web Lock a few times, and an ack reads back what its fetch wrote", { skip: browser.skip, timeout: 60_000 }, async () => {
  const page = await browser.openPage();
  const { sends, acks } = await page.evaluate(countInPage);
  await page.close();
  // 64 sends one after another, nobody else waiting: a lock request or two, not one each.
  assert.ok(sends.lock <= 4, `${sends.lock} lock requests for 64 sends`);
  // The send's sweep pages through the records: most pages come from a list read ahead.
  assert.ok(sends.list <= 16, `${sends.list} lists for 64 sends`);
  // The ack's two reads (the record, its delivery entry) are rows its fetch just wrote.
  assert.deepStrictEqual(acks.map((a) => a.get + a.list), Array(8).fill(0));
});

/**
 * Runs in a page: two storages on one database (as two tabs would be), each
 * running `rounds` sections at once that increment one counter. A section
 * that read a row its storage remembered from before the other had the lock
 * would lose the other's increments.
 */
async function incrementInPage({ db, rounds }) {
  const { indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const storages = [indexedDbStorage(db), indexedDbStorage(db)];
  const increment = (s) =>
    s.exclusive(async () => {
      const [[, stored] = []] = await s.list({ prefix: "count" });
      const count = stored ? new DataView(stored.buffer).getUint32(0) : 0;
      const again = await s.get("count");
      if ((again ? new DataView(again.buffer).getUint32(0) : 0) !== count) throw new Error("get and list disagree");
      const next = new Uint8Array(4);
      new DataView(next.buffer).setUint32(0, count + 1);
      await s.write([["count", next]]);
    });
  await Promise.all(storages.flatMap((s) => Array.from({ length: rounds }, () => increment(s))));
  const final = await storages[0].get("count");
  await Promise.all(storages.map((s) => s.close()));
  return final ? new DataView(final.buffer).getUint32(0) : 0;
}

test("two storages on one database take turns and never read a row the other has changed", { skip: browser.skip, timeout: 60_000 }, async () => {
  const page = await browser.openPage();
  const total = await page.evaluate(incrementInPage, { db: `turns-${Date.now()}`, rounds: 60 });
  await page.close();
  assert.strictEqual(total, 120, "every increment of both storages counted");
});

/**
 * Runs in a page: storage `a` runs `burst` sections back to back, each a
 * write as a queue operation is; once it is inside the burst, storage `b`
 * asks for one section. Resolves to how
 * many of `a`'s sections ran before `b`'s, and in all.
 */
async function waitInPage({ db, burst }) {
  const { indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const a = indexedDbStorage(db);
  const b = indexedDbStorage(db);
  let ran = 0;
  /** @type {Promise<number> | null} */
  let other = null;
  for (let i = 0; i < burst; i++) {
    await a.exclusive(async () => {
      await a.write([["ran", new Uint8Array([ran & 255])]]);
      ran += 1;
      // b asks while a holds the lock.
      if (ran === 3) other = b.exclusive(async () => ran);
    });
  }
  const before = await other;
  await Promise.all([a.close(), b.close()]);
  return { before, ran };
}

test("a storage waiting for the lock gets it within the holder's burst", { skip: browser.skip, timeout: 60_000 }, async () => {
  const page = await browser.openPage();
  const { before, ran } = await page.evaluate(waitInPage, { db: `wait-${Date.now()}`, burst: 200 });
  await page.close();
  assert.strictEqual(ran, 200);
  // Every 16 sections the holder asks whether someone waits, and lets go once
  // the answer is yes: the waiter runs early in the burst, not after it.
  assert.ok(before < 100, `the waiter ran after ${before} of the holder's 200 sections`);
});

/**
 * Runs in a page: `polls` fetches of an empty mailbox back to back (each
 * answered from the rows the first one read, so no IndexedDB event in
 * between); counts how often a 0 ms timer got to run meanwhile.
 */
async function pollInPage({ db, polls }) {
  const { Server, indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const storage = indexedDbStorage(db);
  const server = new Server({ storage, clock: () => 1_767_225_600_000 });
  await server.send({ sender: "a", receiver: "someone-else", body: { n: 1 } });
  await server.fetchLatest("bob"); // reads bob's empty delivery index: the polls below read nothing
  let ticks = 0;
  let polling = true;
  const tick = () => {
    ticks += 1;
    if (polling) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  for (let i = 0; i < polls; i++) if ((await server.fetchLatest("bob")) !== null) throw new Error("bob has no message");
  polling = false;
  await storage.close();
  return ticks;
}

test("back-to-back operations answered from memory still let the page's timers run", { skip: browser.skip, timeout: 60_000 }, async () => {
  const page = await browser.openPage();
  const ticks = await page.evaluate(pollInPage, { db: `poll-${Date.now()}`, polls: 400 });
  await page.close();
  // A yield every 16 operations: some 25 chances for the timer in 400 polls.
  assert.ok(ticks >= 5, `the page's timers ran ${ticks} times during the polls`);
});
