// The shared storage contract (tests/js/storage-contract.js) against
// indexedDbStorage in every browser engine, each contract test reported as a
// node:test subtest.
import { test } from "node:test";
import assert from "node:assert/strict";
import { forEachEngine } from "./support/engines.js";
import { reportResults } from "../js/support/report.js";

/**
 * Runs in the page: registers the contract on fresh databases and runs it.
 * @param {{ dbPrefix: string }} options
 */
async function runContractInPage({ dbPrefix }) {
  const { storageContract } = await import("/tests/js/storage-contract.js");
  const { indexedDbStorage } = await import("/node_modules/pandora-mq/src/storage/indexeddb.js");
  const { miniHarness } = await import("/tests/js/support/mini-harness.js");
  const harness = miniHarness();
  let n = 0;
  storageContract("indexeddb", () => indexedDbStorage(`${dbPrefix}-${n++}`), harness);
  return harness.run();
}

forEachEngine((engine) => {
  test(`${engine.name}: indexedDbStorage passes the storage contract`, { timeout: 120_000 }, async (t) => {
    const page = await engine.openPage();
    const results = await page.evaluate(runContractInPage, { dbPrefix: `contract-${Date.now()}` });
    await page.close();
    await reportResults(t, results, { atLeast: 15, where: `${engine.name} (IndexedDB)` });
    // Every engine has Web Locks in a secure context, so the exclusive tests must really run.
    assert.deepStrictEqual(results.filter((r) => r.skipped).map((r) => r.name), []);
  });
});
