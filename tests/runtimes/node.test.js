// Node 20 imports the package by name and round-trips a message.
import { test } from "node:test";
import path from "node:path";
import { runJson, SCRIPTS } from "./support/run.js";
import { assertRoundTrip } from "./support/expect.js";

test("Node: import 'pandora-mq' and round-trip send/fetch/ack", async () => {
  const result = await runJson(process.execPath, [path.join(SCRIPTS, "node.mjs")]);
  assertRoundTrip(result, { runtime: /^node v2\d\./, entry: /\/node_modules\/pandora-mq\/entry\/node\.js$/ });
});
