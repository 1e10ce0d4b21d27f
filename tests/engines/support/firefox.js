/**
 * Firefox: Debian's ESR driven by puppeteer-core over WebDriver BiDi (the only
 * protocol a stock Firefox speaks; Playwright needs its own patched build).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { contextSession } from "./context-session.js";

export const FIREFOX = "/usr/bin/firefox-esr";

// Point the settings/remote-content hosts at nothing, so a test run makes no
// lookups of Mozilla's servers.
const QUIET_PREFS = {
  "network.dns.localDomains":
    "firefox.settings.services.mozilla.com,content-signature-2.cdn.mozilla.net,firefox-settings-attachments.cdn.mozilla.net",
};

export const firefox = {
  name: "firefox",
  skip: existsSync(FIREFOX) ? false : `${FIREFOX} is not installed`,
  async launch() {
    const { default: puppeteer } = await import("puppeteer-core");
    const browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: FIREFOX,
      headless: true,
      extraPrefsFirefox: QUIET_PREFS,
    });
    // A user context is Firefox's throwaway profile partition: fresh IndexedDB.
    const context = await browser.createBrowserContext();
    return contextSession("firefox", { browser, context, version: await browser.version(), binary: FIREFOX });
  },
};
