// Deno imports the package's deno entry and round-trips a message.
import { test } from "node:test";
import path from "node:path";
import { existsSync } from "node:fs";
import { runJson, ROOT, SCRIPTS } from "./support/run.js";
import { assertRoundTrip } from "./support/expect.js";

const DENO = path.join(ROOT, "node_modules/.bin/deno");

test("Deno: import entry/deno.js and round-trip send/fetch/ack", { skip: existsSync(DENO) ? false : "no node_modules/.bin/deno" }, async () => {
  const result = await runJson(DENO, ["run", "--allow-read", "--no-lock", path.join(SCRIPTS, "deno.js")], {
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  });
  assertRoundTrip(result, { runtime: /^deno \d+\./, entry: /\/node_modules\/pandora-mq\/entry\/deno\.js$/ });
});
