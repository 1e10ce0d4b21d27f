// Debian's Chromium (/usr/bin/chromium) driven by playwright-core, headless,
// with a fresh throwaway profile. Never downloads a browser.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
// The one list of flags, shared with the browser tests.
import { CHROMIUM, CHROMIUM_ARGS as ARGS } from "../../tests/browser/support/chromium.js";

export { CHROMIUM, ARGS };

/** Why Chromium cannot run here, or null. */
export const missing = () => (existsSync(CHROMIUM) ? null : `${CHROMIUM} not found (apt-get install chromium)`);

/** @returns {Promise<{ context: import("playwright-core").BrowserContext, version: string, close: () => Promise<void> }>} */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "pandora-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
  });
  const version = context.browser()?.version() ?? (await versionOf(context));
  return {
    context,
    version,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function versionOf(context) {
  const page = context.pages()[0] ?? (await context.newPage());
  return page.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? "unknown");
}
