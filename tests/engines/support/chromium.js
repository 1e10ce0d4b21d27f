/**
 * Chromium: Debian's build through playwright-core (the launcher the browser
 * tests and benchmarks share), one fresh context per session.
 *
 * @module
 */
import { CHROMIUM, launchChromium, skip } from "../../browser/support/chromium.js";
import { contextSession } from "./context-session.js";

export const chromium = {
  name: "chromium",
  skip,
  async launch() {
    const browser = await launchChromium();
    // A new context is a throwaway profile: no IndexedDB left from earlier runs.
    const context = await browser.newContext();
    return contextSession("chromium", { browser, context, version: `Chromium ${browser.version()}`, binary: CHROMIUM });
  },
};
