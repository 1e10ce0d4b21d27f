// Deno: denoKvStorage and sqliteStorage on Deno's node:sqlite pass the storage
// contract and the queue scenarios; a Deno KV batch beyond one atomic
// operation is refused whole, and the queue's bulk operations fit into it.
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

test("Deno KV: purge, redrive and reenqueue beyond one commit's 1,000 mutations split to fit", { skip }, async () => {
  const { limits } = await run;
  assert.deepStrictEqual(limits.purge, { deleted: 400 });
  assert.strictEqual(limits.purgedStats, 0);
  assert.deepStrictEqual(limits.redrive, { moved: 300 });
  assert.deepStrictEqual(limits.redrivenStats, [300, 0]);
  assert.strictEqual(limits.reenqueue, 0, "max deliveries 1: every ended lease ends dead, none released");
  assert.deepStrictEqual(limits.reenqueuedStats, [0, 0, 400]);
});

test("Deno KV: what one commit cannot hold is refused whole, naming the limit", { skip }, async () => {
  const { limits } = await run;
  assert.strictEqual(limits.longBatch.code, "storage");
  assert.match(limits.longBatch.message, /keys of one write add up to \d+ bytes, over Deno KV's 81920/);
  assert.strictEqual(limits.longAfterRefusal, 0);
  assert.deepStrictEqual(limits.longPurge, { deleted: 100 }, "a long name's bulk writes split by key bytes");
  assert.match(limits.bigValue.message, /a value of 70000 bytes exceeds Deno KV's 65536 per value/);
});

test("Deno KV: two storages on one Deno.Kv share one lock: no message delivered twice", { skip }, async () => {
  const { limits } = await run;
  assert.deepStrictEqual(limits.shared, { deliveries: 20, distinct: 20 });
});
