// Deno: denoKvStorage and sqliteStorage on Deno's node:sqlite pass the storage
// contract and the queue scenarios; a Deno KV batch beyond one atomic
// operation is refused whole.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { existsSync } from "node:fs";
import { runJson, ROOT } from "../runtimes/support/run.js";
import { reportResults } from "../js/support/report.js";

const DENO = path.join(ROOT, "node_modules/.bin/deno");
const skip = existsSync(DENO) ? false : "no node_modules/.bin/deno";

const run = skip ? null : runJson(DENO, ["run", "--allow-read", "--allow-write", "--unstable-kv", "--no-lock", path.join(ROOT, "tests/serve/scripts/deno-stores.js")], {
  env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
});
run?.catch(() => {});

test("Deno KV: storage contract and queue scenarios", { skip }, async (t) => {
  await reportResults(t, (await run).kv, { atLeast: 20, where: "deno kv" });
});

test("sqlite on Deno's node:sqlite: storage contract and queue scenarios", { skip }, async (t) => {
  await reportResults(t, (await run).sqlite, { atLeast: 20, where: "deno sqlite" });
});

test("Deno KV: a batch larger than one atomic write is refused and writes nothing", { skip }, async () => {
  const { tooLarge, afterRefusal } = await run;
  assert.match(tooLarge, /exceeds Deno KV's 1000 mutations/);
  assert.deepStrictEqual(afterRefusal, { keep: 1, written: 0 });
});
