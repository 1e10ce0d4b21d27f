// Using the package before its wasm is loaded (what a bundle gets when its
// wasm fetch failed and the app has not called initWasm yet): each use is
// refused with a PandoraError of code `not_initialized` saying what to do, and
// after initWasm the same module works. This file imports the installed
// package's modules below its entries on purpose, and never "pandora-mq"
// itself: the Node entry would load the wasm on import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

const pkg = new URL("../../node_modules/pandora-mq/", import.meta.url);
const { Server, PandoraError, tables, mintToken, memoryStorage } = await import(new URL("src/index.js", pkg).href);
const { initWasm } = await import(new URL("entry/init-wasm.js", pkg).href);

/** @param {() => unknown} use */
function assertNotInitialized(use) {
  assert.throws(use, (err) => {
    assert.ok(err instanceof PandoraError, `expected a PandoraError, got ${err}`);
    assert.strictEqual(err.code, "not_initialized");
    assert.match(err.message, /initWasm/);
    assert.match(err.message, /node, deno or workerd entry/);
    assert.ok(err.cause instanceof TypeError, "the glue's own TypeError is the cause");
    return true;
  });
}

test("before the wasm is loaded, every way into it says not_initialized", () => {
  assertNotInitialized(() => new Server());
  assertNotInitialized(() => tables());
  assertNotInitialized(() => mintToken({ mailbox: "bob", ops: ["fetch"], expires: Date.UTC(2030, 0, 1), kid: "k" }, "secret"));
});

test("after initWasm the same module serves", async () => {
  await initWasm(await readFile(new URL("pandora_mq_bg.wasm", pkg)));
  const server = new Server({ storage: memoryStorage(), clock: () => Date.UTC(2030, 0, 1) });
  const { mid } = await server.send({ sender: "ann", receiver: "bob", body: { n: "1" } });
  const got = await server.fetchLatest("bob");
  assert.strictEqual(got?.mid, mid);
  assert.ok(Array.isArray(tables().errorCodes));
});
