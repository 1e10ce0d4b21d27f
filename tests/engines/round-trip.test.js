// Every browser engine loads the package's browser entry over HTTP (the wasm
// fetched next to it) and round-trips a message.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { forEachEngine } from "./support/engines.js";
import { DEFAULT_MOUNTS, ROOT } from "../browser/support/static-server.js";
import { assertRoundTrip } from "../runtimes/support/expect.js";

const RUNTIME = { chromium: /^chromium .*HeadlessChrome\//, firefox: /^firefox .*Firefox\//, webkit: /^webkit .*AppleWebKit\// };

forEachEngine(
  (engine) => {
    test(`${engine.name}: import entry/browser.js and round-trip send/fetch/ack`, { timeout: 60_000 }, async () => {
      const page = await engine.openPage();
      const result = await page.evaluate(async (name) => {
        const entry = "/node_modules/pandora-mq/entry/browser.js";
        const pkg = await import(entry);
        const { roundTrip } = await import("/tests/runtimes/scripts/round-trip.js");
        const wasm = performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).map((e) => new URL(e.name).pathname);
        return { ...(await roundTrip(pkg, `${name} ${navigator.userAgent}`)), entry: new URL(entry, location.href).href, wasm };
      }, engine.name);
      await page.close();
      assertRoundTrip(result, { runtime: RUNTIME[/** @type {keyof RUNTIME} */ (engine.name)], entry: /\/node_modules\/pandora-mq\/entry\/browser\.js$/ });
      // The wasm came from next to the entry, once.
      assert.deepStrictEqual(result.wasm, ["/node_modules/pandora-mq/pandora_mq_bg.wasm"]);
    });
  },
  { mounts: { ...DEFAULT_MOUNTS, "/tests/runtimes/": path.join(ROOT, "tests/runtimes") } },
);
