// Headless Chromium loads the package's browser entry over HTTP (the wasm
// fetched as application/wasm) and round-trips a message.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { useChromium } from "../browser/support/session.js";
import { DEFAULT_MOUNTS, ROOT } from "../browser/support/static-server.js";
import { assertRoundTrip } from "./support/expect.js";

const browser = useChromium({ mounts: { ...DEFAULT_MOUNTS, "/tests/runtimes/": path.join(ROOT, "tests/runtimes") } });

test("Chromium: import entry/browser.js and round-trip send/fetch/ack", { skip: browser.skip, timeout: 60_000 }, async () => {
  const page = await browser.openPage();
  /** @type {{ url: string, type: string | undefined }[]} */
  const wasm = [];
  page.on("response", (res) => {
    if (res.url().endsWith(".wasm")) wasm.push({ url: new URL(res.url()).pathname, type: res.headers()["content-type"] });
  });
  const result = await page.evaluate(async () => {
    const entry = "/node_modules/pandora-mq/entry/browser.js";
    const pkg = await import(entry);
    const { roundTrip } = await import("/tests/runtimes/scripts/round-trip.js");
    return { ...(await roundTrip(pkg, `chromium ${navigator.userAgent}`)), entry: new URL(entry, location.href).href };
  });
  await page.close();
  assertRoundTrip(result, { runtime: /^chromium .*HeadlessChrome\//, entry: /\/node_modules\/pandora-mq\/entry\/browser\.js$/ });
  assert.deepStrictEqual(wasm, [{ url: "/node_modules/pandora-mq/pandora_mq_bg.wasm", type: "application/wasm" }]);
});
