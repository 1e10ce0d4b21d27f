// The demo page under test: a static server for www/, one headless Chromium,
// and the steps a person takes on the page (typing into labelled fields,
// pressing buttons, reading what the page shows), shared by the e2e suites.
//
// Time is fake: an init script installs `window.__pandoraClock` before the app
// starts, the app hands it to the Server as `clock` and uses it for countdowns,
// and the tests move it forward with `advance(page, ms)`. No test waits for a
// delay or a lease in real time.

import { after, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../browser/support/chromium.js";
import { startStaticServer } from "../../browser/support/static-server.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const WWW = `${ROOT}www`;
const ARTIFACTS = `${ROOT}tests/artifacts`;
const PACKAGE = `${WWW}/vendor/pandora-mq/entry/browser.js`; // as scripts/build-pkg.sh lays it out
export const TEST_TIMEOUT = 90_000;
export const START = Date.UTC(2025, 0, 15, 9, 30, 0); // fake "now" at the start of every test

let browser;
/** The static server of www/ (set once the suite's `before` hook has run). */
export const demo = { site: null };

/** Registers the suite's hooks: one static server and one Chromium for the file. */
export function useDemoPage() {
  before(async () => {
    assert.ok(existsSync(PACKAGE), `the pandora-mq package is not built: ${PACKAGE} is missing (run make pkg)`);
    await mkdir(ARTIFACTS, { recursive: true });
    demo.site = await startStaticServer({ "/": WWW });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo.site?.close();
  });
}

/** Retries `check` (which throws until satisfied) for up to `timeout` ms. */
export async function eventually(check, what, timeout = 6000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last?.message ?? String(last);
      throw new Error(`timed out waiting for ${what}: ${why}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the locator's text matches `pattern`; returns that text. */
export async function expectText(locator, pattern, what = String(pattern), timeout) {
  return eventually(async () => {
    const text = (await locator.textContent({ timeout: 1000 })) ?? "";
    assert.match(text, pattern);
    return text;
  }, `${what}`, timeout);
}

/**
 * A new browser context (fresh IndexedDB) and page with a fake clock and an
 * error collector. `errors` gathers console errors and uncaught page errors.
 */
export async function openDemo({ viewport = { width: 1280, height: 900 }, fakeClock = true, url } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()} @ ${msg.location()?.url ?? "?"}`);
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  if (fakeClock) {
    // Runs before the app on every load. The fake time lives in sessionStorage
    // so a reload continues where the test left the clock.
    await page.addInitScript((start) => {
      const KEY = "__pandoraFakeNow";
      let now = Number(sessionStorage.getItem(KEY)) || start;
      sessionStorage.setItem(KEY, String(now));
      window.__pandoraClock = () => now;
      window.__advanceClock = (ms) => {
        now += ms;
        sessionStorage.setItem(KEY, String(now));
        return now;
      };
    }, START);
  }
  await page.goto(url ?? `${demo.site.origin}/`);
  await waitReady(page);
  return { context, page, errors };
}

export async function waitReady(page) {
  await page.waitForSelector("html[data-ready=true]", { timeout: 20_000 });
}

/** Moves the page's fake clock forward. */
export async function advance(page, ms) {
  await page.evaluate((d) => window.__advanceClock(d), ms);
}

export function assertNoErrors(errors) {
  assert.deepEqual(errors, [], `the page logged errors:\n${errors.join("\n")}`);
}

export const byTestId = (page, id) => page.getByTestId(id);
export const row = (page, mid) => page.locator(`[data-testid="header-row"][data-mid="${mid}"]`);

/** Fills the compose form and sends; returns the mid the page shows. */
export async function send(page, { receiver, sender = "alice", delay = "", ttl = "", fields = [["text", "hello"]] }) {
  await compose(page, { receiver, sender, delay, ttl, fields });
  const shown = byTestId(page, "send-mid");
  const before = (await shown.count()) > 0 ? await shown.textContent() : null;
  await page.getByRole("button", { name: "Send message" }).click();
  return eventually(async () => {
    assert.equal(await byTestId(page, "send-error").textContent(), "", "no send error");
    const mid = await byTestId(page, "send-mid").textContent({ timeout: 500 });
    assert.match(mid, /^[0-9a-f]{40}$/);
    assert.notEqual(mid, before, "a new mid is shown");
    return mid;
  }, "the sent mid");
}

/** Fills the compose form (receiver, sender, delay, ttl and exactly these fields) without sending. */
export async function compose(page, { receiver, sender = "alice", delay = "", ttl = "", fields = [["text", "hello"]] }) {
  await page.getByLabel("Receiver", { exact: true }).fill(receiver);
  await page.getByLabel("Sender", { exact: true }).fill(sender);
  await page.getByRole("textbox", { name: /^Delay/ }).fill(delay);
  await page.getByRole("textbox", { name: /^Time to live/ }).fill(ttl);
  const rows = byTestId(page, "field-row");
  // Make exactly as many rows as fields: remove extras, add missing ones.
  while ((await rows.count()) > fields.length) await rows.last().getByRole("button", { name: /Remove field/ }).click();
  while ((await rows.count()) < fields.length) await page.getByRole("button", { name: "+ Add field" }).click();
  for (const [i, [name, value]] of fields.entries()) {
    await page.getByLabel(`Field ${i + 1} name`).fill(name);
    await page.getByLabel(`Field ${i + 1} value`).fill(value);
  }
}

/** Watches `receiver` in the mailbox view. */
export async function watch(page, receiver) {
  await page.getByLabel("Receiver to watch").fill(receiver);
}

/** Fetches with `lease` (as typed); returns the fetched message's mid. */
export async function fetchNext(page, lease = "30s") {
  await page.getByLabel("Lease", { exact: true }).fill(lease);
  await page.getByRole("button", { name: "Fetch next message" }).click();
  await byTestId(page, "message").waitFor({ state: "visible" });
  return (await byTestId(page, "message-mid").textContent()).trim();
}

export async function screenshot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}
