// Runs the shared storage contract against indexedDbStorage in real Chromium
// (driven by playwright-core, never fake-indexeddb), reporting each browser
// test as its own node:test subtest, and checks that two pages of one origin
// never hold `exclusive` at the same time.

import { test } from "node:test";
import assert from "node:assert/strict";
import { useChromium } from "./support/session.js";

const browser = useChromium();
const { skip } = browser;
const openPage = () => browser.openPage();

/**
 * Runs in the page: registers the contract through a minimal node:test-like
 * `test` and node:assert-like `assert`, runs every test in order, and returns
 * plain results. Self-contained because Playwright sends only its source.
 * @param {{ dbPrefix: string }} options
 */
async function runContractInPage({ dbPrefix }) {
  const { storageContract } = await import("/tests/js/storage-contract.js");
  const { indexedDbStorage } = await import("/pkg/src/storage/indexeddb.js");

  const fail = (/** @type {string} */ message) => {
    throw new Error(message);
  };
  const show = (/** @type {unknown} */ v) =>
    v instanceof Uint8Array ? `Uint8Array[${v.join(",")}]` : JSON.stringify(v, (_, x) => (x instanceof Uint8Array ? `Uint8Array[${x.join(",")}]` : x));
  /** Strict deep equality: same prototype, same own keys, Object.is on leaves. */
  const equal = (/** @type {any} */ a, /** @type {any} */ b) => {
    if (Object.is(a, b)) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  };
  const assert = {
    strictEqual: (/** @type {any} */ a, /** @type {any} */ b, /** @type {string=} */ m) =>
      Object.is(a, b) || fail(m ?? `expected ${show(b)}, got ${show(a)}`),
    deepStrictEqual: (/** @type {any} */ a, /** @type {any} */ b, /** @type {string=} */ m) =>
      equal(a, b) || fail(m ?? `expected ${show(b)}, got ${show(a)}`),
    ok: (/** @type {any} */ v, /** @type {string=} */ m) => v || fail(m ?? `expected truthy, got ${show(v)}`),
    rejects: async (/** @type {any} */ what, /** @type {RegExp=} */ expected) => {
      try {
        await (typeof what === "function" ? what() : what);
      } catch (err) {
        if (expected instanceof RegExp && !expected.test(String(err))) fail(`rejection ${err} does not match ${expected}`);
        return;
      }
      fail("expected a rejection");
    },
  };

  /** @type {{ name: string, fn: Function }[]} */
  const tests = [];
  let n = 0;
  storageContract("indexeddb", () => indexedDbStorage(`${dbPrefix}-${n++}`), {
    test: (/** @type {string} */ name, /** @type {Function} */ fn) => tests.push({ name, fn }),
    assert,
  });

  const results = [];
  for (const { name, fn } of tests) {
    /** @type {string | null} */
    let skipped = null;
    try {
      await fn({ skip: (/** @type {string=} */ why) => (skipped = why ?? "skipped") });
      results.push({ name, ok: true, skipped, error: null });
    } catch (err) {
      results.push({ name, ok: false, skipped: null, error: String(/** @type {any} */ (err)?.stack ?? err) });
    }
  }
  return results;
}

/**
 * Runs in a page: `rounds` times, takes `exclusive` on database `db` and does
 * a deliberately slow read-modify-write of a shared counter, recording any
 * moment it finds another page inside the section. With `webLocks` false the
 * storage falls back to its page-only mutex, which cannot exclude other pages.
 * @param {{ db: string, id: string, rounds: number, startAt: number, webLocks: boolean }} options
 */
async function hammerInPage({ db, id, rounds, startAt, webLocks }) {
  const { indexedDbStorage } = await import("/pkg/src/storage/indexeddb.js");
  const s = indexedDbStorage(db, webLocks ? {} : { locks: null });
  const text = (/** @type {string} */ v) => new TextEncoder().encode(v);
  const read = async (/** @type {string} */ k) => {
    const v = await s.get(k);
    return v === undefined ? undefined : new TextDecoder().decode(v);
  };
  const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
  await sleep(Math.max(0, startAt - Date.now())); // line both pages up
  const overlaps = [];
  for (let i = 0; i < rounds; i++) {
    await s.exclusive(async () => {
      const holder = await read("holder");
      if (holder !== undefined) overlaps.push(`${id} entered while ${holder} was inside`);
      await s.write([["holder", text(id)]]);
      const count = Number((await read("count")) ?? "0");
      await sleep(5);
      await s.write([
        ["count", text(String(count + 1))],
        ["holder", null],
      ]);
    });
  }
  const total = Number(await read("count"));
  await s.close();
  return { overlaps, total };
}

test("indexedDbStorage passes the storage contract in Chromium", { skip, timeout: 120_000 }, async (t) => {
  const page = await openPage();
  const results = await page.evaluate(runContractInPage, { dbPrefix: `contract-${Date.now()}` });
  await page.close();
  // Guards against the suite silently registering nothing.
  assert.ok(results.length >= 15, `only ${results.length} browser tests ran`);
  for (const r of results) {
    await t.test(r.name, (st) => {
      if (r.skipped) st.skip(r.skipped);
      else if (!r.ok) throw new Error(`browser test failed: ${r.name}\n${r.error}`);
    });
  }
  const failed = results.filter((r) => !r.ok).map((r) => r.name);
  assert.deepStrictEqual(failed, [], `failed in Chromium: ${failed.join(", ")}`);
  // In a secure context Chromium has Web Locks, so the exclusive tests must really run.
  assert.deepStrictEqual(results.filter((r) => r.skipped).map((r) => r.name), []);
});

test("two pages running exclusive on one database never overlap", { skip, timeout: 120_000 }, async () => {
  const rounds = 8;
  const db = `shared-${Date.now()}`;
  const pages = [await openPage(), await openPage()];
  const startAt = Date.now() + 500;
  const runs = await Promise.all(
    pages.map((page, i) => page.evaluate(hammerInPage, { db, id: `page${i}`, rounds, startAt, webLocks: true })),
  );
  await Promise.all(pages.map((page) => page.close()));
  assert.deepStrictEqual(runs.flatMap((r) => r.overlaps), []);
  // No lost update: every increment of both pages is in the final count.
  assert.strictEqual(Math.max(...runs.map((r) => r.total)), 2 * rounds);
});

test("control: without Web Locks, pages do overlap (so the test above can fail)", { skip, timeout: 120_000 }, async () => {
  const rounds = 8;
  const db = `unlocked-${Date.now()}`;
  const pages = [await openPage(), await openPage()];
  const startAt = Date.now() + 500;
  const runs = await Promise.all(
    pages.map((page, i) => page.evaluate(hammerInPage, { db, id: `page${i}`, rounds, startAt, webLocks: false })),
  );
  await Promise.all(pages.map((page) => page.close()));
  const overlaps = runs.flatMap((r) => r.overlaps).length;
  const total = Math.max(...runs.map((r) => r.total));
  assert.ok(overlaps > 0 || total < 2 * rounds, `no overlap detected (total ${total})`);
});

test("deleteIndexedDb clears a database even while a storage has it open", { skip, timeout: 60_000 }, async () => {
  const page = await openPage();
  const result = await page.evaluate(async (db) => {
    const { indexedDbStorage, deleteIndexedDb } = await import("/pkg/src/storage/indexeddb.js");
    const s = indexedDbStorage(db);
    await s.write([["k", new Uint8Array([1])]]);
    const before = Array.from((await s.get("k")) ?? []);
    // s still holds a connection; it must step aside instead of blocking the delete.
    await deleteIndexedDb(db);
    const after = await s.get("k"); // reopens a fresh, empty database
    await s.write([["k2", new Uint8Array([2])]]);
    const listed = (await s.list({ prefix: "" })).map(([k, v]) => [k, Array.from(v)]);
    await s.close();
    return { before, after: after === undefined ? "undefined" : Array.from(after), listed };
  }, `clear-${Date.now()}`);
  await page.close();
  assert.deepStrictEqual(result, { before: [1], after: "undefined", listed: [["k2", [2]]] });
});
