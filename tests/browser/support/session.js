/**
 * One Chromium and one static server per test file: registers node:test
 * before/after hooks and hands out pages on the test origin.
 *
 *   const browser = useChromium();
 *   test("…", { skip: browser.skip }, async () => { const page = await browser.openPage(); … });
 *
 * @module
 */
import { before, after } from "node:test";
import { launchChromium, skip } from "./chromium.js";
import { startStaticServer } from "./static-server.js";

/**
 * @param {{ mounts?: Record<string, string> }} [options]
 */
export function useChromium({ mounts } = {}) {
  /** @type {import("playwright-core").Browser | undefined} */
  let browser;
  /** @type {import("playwright-core").BrowserContext | undefined} */
  let context;
  /** @type {{ origin: string, close: () => Promise<void> } | undefined} */
  let server;

  before(async () => {
    if (skip) return;
    server = await startStaticServer(mounts);
    browser = await launchChromium();
    // A new context is a fresh, throwaway profile: no IndexedDB left from earlier runs.
    context = await browser.newContext();
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  return {
    skip,
    /** The static server's origin, e.g. http://127.0.0.1:12345 (after `before`). */
    get origin() {
      return server?.origin;
    },
    /**
     * Opens a page on the test origin; its uncaught errors go to stderr so a
     * broken module shows up in the test output.
     */
    async openPage() {
      if (!context || !server) throw new Error("useChromium: browser not started");
      const page = await context.newPage();
      page.on("pageerror", (err) => console.error("[page error]", err));
      await page.goto(`${server.origin}/`);
      return page;
    },
  };
}
