// The shared storage contract (tests/js/storage-contract.js) in workerd
// through Miniflare, on the Cloudflare adapters: durableObjectStorage over both
// Durable Object storage backends (SQLite, as deployed, and the older
// key-value one) and kvStorage over a KV namespace. Each contract test is
// reported as its own subtest.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fetchJsonFromWorker } from "./support/workerd.js";
import { reportResults } from "../js/support/report.js";

// One workerd run serves all three backends; started once, awaited per test.
const run = fetchJsonFromWorker(
  "workerd-storage-contract.js",
  {
    SQLITE_OBJECTS: { className: "SqliteContractObject", useSQLite: true },
    KEY_VALUE_OBJECTS: { className: "KeyValueContractObject", useSQLite: false },
  },
  { kvNamespaces: ["KV"] },
);
run.catch(() => {}); // reported by the tests below, not as an unhandled rejection

/** Neither Cloudflare adapter has `exclusive` or `prefetch`: nothing else may be skipped. */
const EXCLUSIVE_TESTS = [
  "exclusive runs fn and returns its value",
  "prefetch is only a hint: whatever it read ahead, every answer is the store's",
  "concurrent exclusive sections never overlap",
];

/**
 * Reports one backend's results and checks that exactly those tests were skipped.
 * @param {import("node:test").TestContext} t
 * @param {any[]} results
 * @param {string} where
 */
async function report(t, results, where) {
  await reportResults(t, results, { atLeast: 15, where });
  const skipped = results.filter((r) => r.skipped).map((r) => r.name.slice(r.name.indexOf(": ") + 2));
  assert.deepStrictEqual(skipped, EXCLUSIVE_TESTS, `skipped in ${where}`);
}

const timeout = 120_000;

test("durableObjectStorage passes the contract on SQLite-backed Durable Object storage", { timeout }, async (t) => {
  const { sqlite } = await run;
  assert.strictEqual(sqlite.backend, "sqlite"); // Miniflare gave the backend we asked for
  await report(t, sqlite.results, "workerd (SQLite-backed Durable Object)");
});

test("durableObjectStorage passes the contract on key-value-backed Durable Object storage", { timeout }, async (t) => {
  const { keyValue } = await run;
  assert.strictEqual(keyValue.backend, "key-value");
  await report(t, keyValue.results, "workerd (key-value-backed Durable Object)");
});

test("kvStorage passes the contract on Workers KV", { timeout }, async (t) => {
  const { kv } = await run;
  await report(t, kv.filter((r) => r.name.startsWith("kvStorage: ")), "workerd (Workers KV)");
});

test("kvStorage with a prefix passes the contract beside other stores' keys", { timeout }, async (t) => {
  const { kv } = await run;
  await report(t, kv.filter((r) => r.name.startsWith("kvStorage (prefixed): ")), "workerd (Workers KV, prefixed)");
});
