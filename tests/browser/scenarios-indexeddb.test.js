// The shared queue scenarios (tests/js/queue-scenarios.js) in real headless
// Chromium, on indexedDbStorage, with the package loaded from its browser
// entry (node_modules/pandora-mq/entry/browser.js, wasm over HTTP).
import { test } from "node:test";
import { useChromium } from "./support/session.js";
import { reportResults } from "../js/support/report.js";

const browser = useChromium();

/**
 * Runs in the page (Playwright sends only this function's source).
 * @param {{ dbPrefix: string }} options
 */
async function runScenariosInPage({ dbPrefix }) {
  const { Server, indexedDbStorage } = await import("/node_modules/pandora-mq/entry/browser.js");
  const { queueScenarios } = await import("/tests/js/queue-scenarios.js");
  const { miniHarness } = await import("/tests/js/support/mini-harness.js");
  const harness = miniHarness();
  const opened = [];
  let n = 0;
  queueScenarios(
    "indexedDbStorage",
    (options) => {
      const storage = indexedDbStorage(`${dbPrefix}-${n++}`); // a fresh database per scenario
      opened.push(storage);
      return new Server({ ...options, storage });
    },
    harness,
  );
  const results = await harness.run();
  await Promise.all(opened.map((s) => s.close()));
  return results;
}

test("queue scenarios on IndexedDB in Chromium", { skip: browser.skip, timeout: 120_000 }, async (t) => {
  const page = await browser.openPage();
  const results = await page.evaluate(runScenariosInPage, { dbPrefix: `scenarios-${Date.now()}` });
  await page.close();
  await reportResults(t, results, { atLeast: 20, where: "Chromium (IndexedDB)" });
});
