// Two pages of one origin, each with a Server on the same IndexedDB database,
// fetching concurrently with several messages queued: no message is delivered
// twice (Web Locks make each operation exclusive across pages), in every
// browser engine. A control shows the same load double-delivers without the
// exclusive sections, so the main test can fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { forEachEngine } from "./support/engines.js";

const FETCHES = 20; // per Server
// As many messages as fetches of both pages: every fetch must deliver. (With
// fewer, Firefox and WebKit often let one page's burst drain the queue before
// the other page's first grant; Chromium interleaves the pages.)
const MESSAGES = 2 * FETCHES;

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
 * Runs in a page: loads the package and arms `window.go`, resolved by a
 * message on BroadcastChannel `channel` (message events are not throttled in
 * background tabs the way timers are, so both pages start together).
 * @param {string} channel
 */
async function prepareInPage(channel) {
  await import("/node_modules/pandora-mq/entry/browser.js");
  const bc = new BroadcastChannel(channel);
  /** @type {any} */ (window).go = new Promise((resolve) => {
    bc.onmessage = () => resolve(undefined);
  });
}

/** Runs in a page: says "go" on BroadcastChannel `channel` (to every other instance). */
function goInPage(/** @type {string} */ channel) {
  new BroadcastChannel(channel).postMessage("go");
}

/**
 * Runs in a page: `servers` Servers on database `db`, each firing `fetches`
 * fetchLatest calls at once (after `window.go` when `wait` is set); resolves
 * to every delivered mid. With `webLocks: false` the storages are used
 * without their `exclusive` section.
 * @param {{ db: string, servers: number, fetches: number, now: number, wait: boolean, webLocks: boolean }} o
 */
async function fetchInPage({ db, servers, fetches, now, wait, webLocks }) {
  const { Server, indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const storages = Array.from({ length: servers }, () => indexedDbStorage(db));
  // Without `exclusive` every call is its own transaction and nothing spans an operation.
  const unlocked = (/** @type {any} */ s) => ({ get: s.get, list: s.list, write: s.write });
  const all = storages.map((storage) => new Server({ storage: webLocks ? storage : unlocked(storage), clock: () => now }));
  if (wait) await /** @type {any} */ (window).go;
  const results = await Promise.all(all.flatMap((server) => Array.from({ length: fetches }, () => server.fetchLatest("bob", { lease: "1h" }))));
  await Promise.all(storages.map((s) => s.close()));
  return results.filter((m) => m !== null).map((m) => m.mid);
}

/** Every mid exactly once. */
function assertEachOnce(/** @type {string[]} */ delivered, /** @type {string[]} */ mids) {
  const twice = delivered.filter((mid, i) => delivered.indexOf(mid) !== i);
  assert.deepStrictEqual(twice, [], "delivered twice");
  assert.deepStrictEqual([...delivered].sort(), [...mids].sort(), "not every message was delivered");
}

forEachEngine((engine) => {
  test(`${engine.name}: Servers in two pages of one origin share a database without double delivery`, { timeout: 120_000 }, async () => {
    const db = `two-pages-${Date.now()}`;
    const now = Date.UTC(2030, 0, 1);
    const pages = [await engine.openPage(), await engine.openPage()];
    const mids = await pages[0].evaluate(sendInPage, { db, count: MESSAGES, now });
    assert.strictEqual(new Set(mids).size, MESSAGES);
    const channel = `go-${db}`;
    for (const page of pages) await page.evaluate(prepareInPage, channel);
    const running = pages.map((page) => page.evaluate(fetchInPage, { db, servers: 1, fetches: FETCHES, now, wait: true, webLocks: true }));
    await pages[0].evaluate(goInPage, channel);
    const perPage = await Promise.all(running);
    await Promise.all(pages.map((page) => page.close()));
    assertEachOnce(perPage.flat(), mids);
    // Every fetch of both pages delivered: both pages shared the database.
    assert.deepStrictEqual(perPage.map((d) => d.length), [FETCHES, FETCHES]);
  });

  test(`${engine.name}: control: without exclusive sections two Servers do double-deliver`, { timeout: 120_000 }, async () => {
    const db = `unlocked-${Date.now()}`;
    const now = Date.UTC(2030, 0, 1);
    const page = await engine.openPage();
    await page.evaluate(sendInPage, { db, count: 8, now });
    const delivered = await page.evaluate(fetchInPage, { db, servers: 2, fetches: FETCHES, now, wait: false, webLocks: false });
    await page.close();
    assert.ok(delivered.length > new Set(delivered).size, `no double delivery seen (${delivered.length} deliveries)`);
  });
});
