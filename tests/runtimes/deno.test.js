// Deno imports the package's deno entry and round-trips a message, with no
// permission flags (the wasm is imported as a module, not read from disk).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { existsSync } from "node:fs";
import { runJson, ROOT, SCRIPTS } from "./support/run.js";
import { assertRoundTrip } from "./support/expect.js";

const DENO = path.join(ROOT, "node_modules/.bin/deno");

test("Deno: import entry/deno.js and round-trip send/fetch/ack", { skip: existsSync(DENO) ? false : "no node_modules/.bin/deno" }, async () => {
  const result = await runJson(DENO, ["run", "--no-lock", path.join(SCRIPTS, "deno.js")], {
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  });
  assertRoundTrip(result, { runtime: /^deno \d+\./, entry: /\/node_modules\/pandora-mq\/entry\/deno\.js$/ });
});

test("Deno: `deno check` type-checks a TypeScript consumer of the package", { skip: existsSync(DENO) ? false : "no node_modules/.bin/deno" }, async () => {
  const consumer = path.join(ROOT, "tests/consumers/consumer.ts");
  const run = promisify(execFile)(DENO, ["check", "--no-lock", consumer], { cwd: ROOT, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } });
  const { stderr } = await run.catch((e) => assert.fail(`deno check failed:\n${e.stdout}${e.stderr}`));
  // Its output names what it checked: the consumer, so the check really ran.
  assert.match(stderr, /Check .*consumer\.ts/);
});

test("Deno.serve + server.handle: a long poll whose client hung up leases nothing (request.signal)", { skip: existsSync(DENO) ? false : "no node_modules/.bin/deno" }, async () => {
  const result = await runJson(DENO, ["run", "--no-lock", "--allow-net", path.join(SCRIPTS, "handle-hangup.js")], {
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  });
  assert.deepStrictEqual(result, { status: 200, n: "1" });
});
