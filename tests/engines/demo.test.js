// The demo's main path in every browser engine: send with a delay, watch it
// become due on the page's fake clock, fetch it under a lease, confirm it,
// and see it gone. The full demo suite (every control, remote mode, narrow
// screens) runs in Chromium in tests/e2e/demo.test.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { forEachEngine } from "./support/engines.js";
import { ROOT } from "../browser/support/static-server.js";

const WWW = path.join(ROOT, "www");
const PACKAGE = path.join(WWW, "vendor/pandora-mq/entry/browser.js"); // as scripts/build-pkg.sh lays it out
const HOOK = `<script src="/__tests__/fake-clock.js"></script>`;

/** Retries `check` (which throws until satisfied) for up to `timeout` ms. */
async function eventually(/** @type {() => Promise<any>} */ check, /** @type {string} */ what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${/** @type {Error} */ (err).message}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs in the page: calls demo-driver.js's `fn` with `args`. */
async function driverInPage(/** @type {{ fn: string, args: any[] }} */ { fn, args }) {
  const driver = /** @type {any} */ (await import("/__tests__/demo-driver.js"));
  return driver[fn](...args);
}

forEachEngine(
  (engine) => {
    test(`${engine.name}: a delayed message becomes due, is fetched, confirmed and gone`, { timeout: 90_000 }, async () => {
      assert.ok(existsSync(PACKAGE), `the demo's package copy is missing: ${PACKAGE} (run make pkg)`);
      const page = await engine.openPage("/");
      const run = (/** @type {string} */ fn, /** @type {any[]} */ ...args) => page.evaluate(driverInPage, { fn, args });
      const expectText = (/** @type {string} */ id, /** @type {RegExp} */ pattern, /** @type {string=} */ mid) =>
        eventually(async () => assert.match((await run("text", id, mid)) ?? "(missing)", pattern), `${id} ~ ${pattern}`);
      const advance = (/** @type {number} */ ms) => page.evaluate((d) => /** @type {any} */ (window).__advanceClock(d), ms);

      await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.dataset.ready), "true"), "the demo to be ready", 20_000);
      await run("fill", "Receiver", "engine-box");
      await run("fill", "Sender", "alice");
      await run("fill", "Delay", "10s", true);
      await run("fill", "Field 1 name", "text");
      await run("fill", "Field 1 value", `hello from ${engine.name}`);
      await run("press", "Send message");
      const mid = await eventually(async () => {
        assert.equal(await run("text", "send-error"), "");
        const shown = await run("text", "send-mid");
        assert.match(shown ?? "", /^[0-9a-f]{40}$/);
        return shown;
      }, "the sent mid");

      await expectText("row-state", /^delayed$/, mid);
      await expectText("row-due", /due in 10 s/, mid);
      await run("press", "Fetch next message");
      await expectText("consume-status", /No message is due in “engine-box”/);

      await advance(10_000);
      await expectText("row-state", /^ready$/, mid);
      await run("fill", "Lease", "30s");
      await run("press", "Fetch next message");
      await expectText("message-mid", new RegExp(`^${mid}$`));
      await expectText("message-fields", new RegExp(`hello from ${engine.name}`));
      await expectText("row-state", /^leased$/, mid);

      await run("press", "Confirm");
      await expectText("consume-status", /Confirmed .*done and removed/);
      await eventually(async () => assert.equal(await run("hasRow", mid), false), "the row to go");
      await expectText("mailbox-empty", /No pending messages for “engine-box”/);
      assert.deepStrictEqual(await page.evaluate(() => /** @type {any} */ (window).__pageErrors), []);
      await page.close();
    });
  },
  {
    mounts: { "/__tests__/": path.join(ROOT, "tests/engines/pages"), "/": WWW },
    // The clock hook must run before the app's module script.
    rewrite: (pathname, body) => (pathname === "/" ? body.toString().replace("<script", `${HOOK}\n    <script`) : undefined),
  },
);
