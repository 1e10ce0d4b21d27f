// Two Servers on one IndexedDB database, fetching concurrently many times with
// several messages queued: no message is delivered twice (Web Locks make each
// operation exclusive across Servers and pages). Once with both Servers in one
// page, once with one Server in each of two pages of the same origin.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useChromium } from "./support/session.js";

const browser = useChromium();
const MESSAGES = 8;
const FETCHES = 30; // per Server

/**
 * Runs in a page: sends `count` messages on database `db`; resolves to their mids.
 * @param {{ db: string, count: number, now: number }} o
 */
async function sendInPage({ db, count, now }) {
  const { Server, indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const storage = indexedDbStorage(db);
  const server = new Server({ storage, clock: () => now });
  const mids = [];
  for (let i = 0; i < count; i++) mids.push((await server.send({ sender: "ann", receiver: "bob", body: { i } })).mid);
  await storage.close();
  return mids;
}

/**
 * Runs in a page: `servers` Servers on database `db`, each firing `fetches`
 * fetchLatest calls at once; resolves to every delivered mid. With `channel`,
 * waits for a "go" on that BroadcastChannel first, so pages start together.
 * With `webLocks: false` the storages are used without their `exclusive` section.
 * @param {{ db: string, servers: number, fetches: number, now: number, channel?: string, webLocks?: boolean }} o
 */
async function fetchInPage({ db, servers, fetches, now, channel, webLocks = true }) {
  const { Server, indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const storages = Array.from({ length: servers }, () => indexedDbStorage(db));
  // Without `exclusive` every call is its own transaction and nothing spans an operation.
  const unlocked = (s) => ({ get: s.get, list: s.list, write: s.write });
  const all = storages.map((storage) => new Server({ storage: webLocks ? storage : unlocked(storage), clock: () => now }));
  if (channel) await /** @type {any} */ (window).go;
  const results = await Promise.all(all.flatMap((server) => Array.from({ length: fetches }, () => server.fetchLatest("bob", { lease: "1h" }))));
  await Promise.all(storages.map((s) => s.close()));
  return results.filter((m) => m !== null).map((m) => m.mid);
}

/** Runs in a page: arms `window.go`, resolved by a "go" on BroadcastChannel `channel`. */
function armInPage(/** @type {string} */ channel) {
  const bc = new BroadcastChannel(channel);
  /** @type {any} */ (window).go = new Promise((resolve) => {
    bc.onmessage = () => resolve(undefined);
  });
}

/** Every mid exactly once. */
function assertEachOnce(/** @type {string[]} */ delivered, /** @type {string[]} */ mids) {
  const twice = delivered.filter((mid, i) => delivered.indexOf(mid) !== i);
  assert.deepStrictEqual(twice, [], "delivered twice");
  assert.deepStrictEqual([...delivered].sort(), [...mids].sort(), "not every message was delivered");
}

test("two Servers in one page share a database without double delivery", { skip: browser.skip, timeout: 120_000 }, async () => {
  const db = `same-page-${Date.now()}`;
  const now = Date.UTC(2030, 0, 1);
  const page = await browser.openPage();
  const mids = await page.evaluate(sendInPage, { db, count: MESSAGES, now });
  assert.strictEqual(new Set(mids).size, MESSAGES);
  const delivered = await page.evaluate(fetchInPage, { db, servers: 2, fetches: FETCHES, now });
  await page.close();
  assertEachOnce(delivered, mids);
});

test("Servers in two pages of one origin share a database without double delivery", { skip: browser.skip, timeout: 120_000 }, async () => {
  const db = `two-pages-${Date.now()}`;
  const channel = `go-${db}`;
  const now = Date.UTC(2030, 0, 1);
  const pages = [await browser.openPage(), await browser.openPage()];
  const mids = await pages[0].evaluate(sendInPage, { db, count: MESSAGES, now });
  await Promise.all(pages.map((page) => page.evaluate(armInPage, channel)));
  const running = pages.map((page) => page.evaluate(fetchInPage, { db, servers: 1, fetches: FETCHES, now, channel }));
  const starter = await browser.openPage();
  await starter.evaluate((name) => new BroadcastChannel(name).postMessage("go"), channel);
  const perPage = await Promise.all(running);
  await Promise.all([...pages, starter].map((page) => page.close()));
  assertEachOnce(perPage.flat(), mids);
});

test("control: without exclusive sections two Servers in one page do double-deliver (so the tests above can fail)", { skip: browser.skip, timeout: 120_000 }, async () => {
  const db = `unlocked-${Date.now()}`;
  const now = Date.UTC(2030, 0, 1);
  const page = await browser.openPage();
  await page.evaluate(sendInPage, { db, count: MESSAGES, now });
  const delivered = await page.evaluate(fetchInPage, { db, servers: 2, fetches: FETCHES, now, webLocks: false });
  await page.close();
  assert.ok(delivered.length > new Set(delivered).size, `no double delivery seen (${delivered.length} deliveries)`);
});
