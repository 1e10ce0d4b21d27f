/**
 * Launches Debian's Chromium through playwright-core (never a downloaded
 * browser), with the flags every browser test uses.
 *
 * @module
 */
import { existsSync } from "node:fs";

export const CHROMIUM = "/usr/bin/chromium";

/** node:test `skip` value: false when Chromium is installed, else the reason. */
export const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed`;

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** @returns {Promise<import("playwright-core").Browser>} */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
