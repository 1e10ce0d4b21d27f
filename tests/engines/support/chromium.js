/**
 * Chromium: Debian's build through playwright-core (the launcher the browser
 * tests and benchmarks share), one fresh context per session.
 *
 * @module
 */
import { CHROMIUM, launchChromium, skip } from "../../browser/support/chromium.js";

export const chromium = {
  name: "chromium",
  skip,
  async launch() {
    const browser = await launchChromium();
    // A new context is a throwaway profile: no IndexedDB left from earlier runs.
    const context = await browser.newContext();
    return {
      version: `Chromium ${browser.version()}`,
      binary: CHROMIUM,
      /** @param {string} url */
      async newPage(url) {
        const page = await context.newPage();
        page.on("pageerror", (err) => console.error(`[chromium page error] ${err}`));
        await page.goto(url);
        return {
          /** @type {<A, R>(fn: (arg: A) => R, arg: A) => Promise<Awaited<R>>} */
          evaluate: (fn, arg) => page.evaluate(/** @type {any} */ (fn), arg),
          close: () => page.close(),
        };
      },
      async close() {
        await context.close();
        await browser.close();
      },
    };
  },
};
