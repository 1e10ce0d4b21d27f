// Bun imports the package by name (the node condition) and round-trips a message.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { existsSync } from "node:fs";
import { runJson, ROOT, SCRIPTS } from "./support/run.js";
import { assertRoundTrip } from "./support/expect.js";

const BUN = path.join(ROOT, "node_modules/.bin/bun");

test("Bun: import 'pandora-mq' and round-trip send/fetch/ack", { skip: existsSync(BUN) ? false : "no node_modules/.bin/bun" }, async () => {
  const result = await runJson(BUN, [path.join(SCRIPTS, "bun.mjs")]);
  assertRoundTrip(result, { runtime: /^bun \d+\./, entry: /\/node_modules\/pandora-mq\/entry\/node\.js$/ });
});

test("Bun.serve + server.handle: a long poll whose client hung up leases nothing (request.signal)", { skip: existsSync(BUN) ? false : "no node_modules/.bin/bun" }, async () => {
  const result = await runJson(BUN, [path.join(SCRIPTS, "handle-hangup.js")]);
  assert.deepStrictEqual(result, { status: 200, n: "1" });
});
