/**
 * The engine session of a browser driven through page objects (Chromium by
 * playwright-core, Firefox by puppeteer-core): both libraries give a browser
 * context whose pages have `goto`, `evaluate`, `close` and a `pageerror`
 * event, so one session serves both.
 *
 * @module
 */

/**
 * @param {string} name the engine's name, prefixed to page errors
 * @param {{ browser: { close(): Promise<void> }, context: any, version: string, binary: string }} opened
 *   the launched browser, the throwaway context (a fresh profile: no IndexedDB from earlier runs) its pages open in, and what the report says
 * @returns {import("./engines.js").EngineSession}
 */
export function contextSession(name, { browser, context, version, binary }) {
  return {
    version,
    binary,
    /** @param {string} url */
    async newPage(url) {
      const page = await context.newPage();
      page.on("pageerror", (/** @type {unknown} */ err) => console.error(`[${name} page error] ${err}`));
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
}
