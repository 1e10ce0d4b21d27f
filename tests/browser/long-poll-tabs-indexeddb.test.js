// Long polling across tabs on one IndexedDB database: a send in one page wakes
// a fetchLatest waiting in another (the storage's BroadcastChannel). The
// waiting page runs on a fake clock and timers that never fire, so only a
// wake-up can release it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useChromium } from "./support/session.js";

const browser = useChromium();
const NOW = Date.UTC(2030, 0, 1);

/** Runs in a page: starts a waiting fetch; resolves once it sleeps (its one fake timer is set). */
async function waitInPage({ db, now }) {
  const { Server, indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const { fakeTimers, until } = await import("/tests/js/support/timers.js");
  const timers = fakeTimers(() => now);
  const storage = indexedDbStorage(db);
  const server = new Server({ storage, clock: () => now, timers });
  const w = /** @type {any} */ (window);
  w.waiting = server.fetchLatest("bob", { wait: "20s", lease: "1m" }).then((m) => m?.mid ?? null);
  await until(() => timers.count() === 1);
  return timers.delays();
}

/** Runs in a page: what the waiting fetch got, or "not woken" if nothing released it in `ms` of real time. */
async function resultInPage(/** @type {number} */ ms) {
  const w = /** @type {any} */ (window);
  return Promise.race([w.waiting, new Promise((resolve) => setTimeout(() => resolve("not woken"), ms))]);
}

/** Runs in a page: one send on database `db` (a Server of its own); resolves to the mid. */
async function sendInPage({ db, now, receiver }) {
  const { Server, indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const storage = indexedDbStorage(db);
  const server = new Server({ storage, clock: () => now });
  const { mid } = await server.send({ sender: "ann", receiver, body: { from: "the other tab" } });
  await storage.close();
  return mid;
}

test("a send in another tab wakes this tab's waiting fetchLatest (IndexedDB, Chromium)", { skip: browser.skip, timeout: 60_000 }, async () => {
  const db = `long-poll-${Date.now()}`;
  const waiter = await browser.openPage();
  const sender = await browser.openPage();
  assert.deepEqual(await waiter.evaluate(waitInPage, { db, now: NOW }), [20_000], "asleep until its deadline");
  await sender.evaluate(sendInPage, { db, now: NOW, receiver: "eve" });
  assert.strictEqual(await waiter.evaluate(resultInPage, 300), "not woken", "a send to another mailbox leaves it asleep");
  const mid = await sender.evaluate(sendInPage, { db, now: NOW, receiver: "bob" });
  assert.strictEqual(await waiter.evaluate(resultInPage, 10_000), mid);
  await waiter.close();
  await sender.close();
});
