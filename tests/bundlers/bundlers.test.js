// The package bundled for the browser by esbuild (the wasm handed over with
// initWasm, as a URL or as bytes), Vite and webpack (no init, no config),
// each build loaded in Chromium and round-tripping a message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { useChromium } from "../browser/support/session.js";
import { buildEsbuild, buildVite, buildWebpack } from "./bundle.js";
import { assertRoundTrip } from "../runtimes/support/expect.js";

/** @type {Record<string, () => Promise<string>>} */
const BUILDS = {
  "esbuild-url": () => buildEsbuild("url"),
  "esbuild-bytes": () => buildEsbuild("bytes"),
  vite: buildVite,
  webpack: buildWebpack,
};

/** @type {Record<string, string>} */
const mounts = {};
const browser = useChromium({ mounts });

for (const [name, buildIt] of Object.entries(BUILDS)) {
  test(`${name}: the bundle loads in Chromium and round-trips send/fetch/ack`, { skip: browser.skip, timeout: 120_000 }, async () => {
    const dir = await buildIt();
    mounts[`/${name}/`] = dir; // the static server reads its mounts per request
    const files = await readdir(dir, { recursive: true });
    const wasmFiles = files.filter((f) => f.endsWith(".wasm"));
    // esbuild's binary loader inlines the wasm; every other build ships it as a file.
    assert.strictEqual(wasmFiles.length, name === "esbuild-bytes" ? 0 : 1, `wasm files in the ${name} build: ${wasmFiles.join(", ")}`);
    const page = await browser.openPage();
    const failed = /** @type {string[]} */ ([]);
    page.on("response", (res) => void (res.status() >= 400 && failed.push(`${res.status()} ${new URL(res.url()).pathname}`)));
    await page.goto(`${browser.origin}/${name}/`);
    await page.waitForFunction(() => /** @type {any} */ (window).__result || /** @type {any} */ (window).__error, null, { timeout: 60_000 });
    const { result, error } = await page.evaluate(() => ({ result: /** @type {any} */ (window).__result, error: /** @type {any} */ (window).__error }));
    await page.close();
    assert.strictEqual(error, undefined);
    assertRoundTrip({ ...result, entry: `${name} bundle` }, { runtime: /^chromium .*HeadlessChrome\//, entry: /bundle$/ });
    // In an esbuild bundle the default load still asks for the wasm where the
    // package's own file would have been, and gets a 404: expected, and harmless.
    const expected = name.startsWith("esbuild") ? ["404 /pandora_mq_bg.wasm"] : [];
    assert.deepStrictEqual(failed.filter((f) => !f.endsWith("/favicon.ico")), expected);
  });
}

test("control: an esbuild bundle that hands no wasm over fails on first use (so initWasm is what the tests above need)", { skip: browser.skip, timeout: 120_000 }, async () => {
  mounts["/esbuild-default/"] = await buildEsbuild("default");
  const page = await browser.openPage();
  await page.goto(`${browser.origin}/esbuild-default/`);
  await page.waitForFunction(() => /** @type {any} */ (window).__result || /** @type {any} */ (window).__error, null, { timeout: 60_000 });
  const { result, error } = await page.evaluate(() => ({ result: /** @type {any} */ (window).__result, error: /** @type {any} */ (window).__error }));
  await page.close();
  assert.strictEqual(result, undefined);
  // A PandoraError that says what to do, not the wasm glue's bare TypeError.
  assert.match(error, /^code=not_initialized PandoraError: the package's wasm is not loaded: await initWasm/);
});
