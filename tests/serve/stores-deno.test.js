// Deno: denoKvStorage and sqliteStorage on Deno's node:sqlite pass the storage
// contract and the queue scenarios; a Deno KV batch beyond one atomic
// operation is refused whole, and the queue's bulk operations fit into it.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawn } from "node:child_process";
import { runJson, ROOT } from "../runtimes/support/run.js";
import { reportResults } from "../js/support/report.js";
import { waitFor } from "./support/raw-http.js";

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

test("Deno KV: a write exactly at the declared limit commits (the clock's key and bump counted), one byte more is refused", { skip }, async () => {
  const { limits } = await run;
  assert.strictEqual(limits.atKeys, "written");
  assert.strictEqual(limits.atKeyBytes, "written");
  assert.match(limits.overKeyBytes.message, /keys of one write add up to 81921 bytes, over Deno KV's 81920/);
});

test("Deno KV: two storages on one Deno.Kv share one lock: no message delivered twice", { skip }, async () => {
  const { limits } = await run;
  assert.deepStrictEqual(limits.shared, { deliveries: 20, distinct: 20 });
});

test("Deno KV: a section overtaken by another handle's commit runs again on the new state, read-only ones too; always overtaken, it gives up having written nothing", { skip }, async () => {
  const { limits } = await run;
  assert.deepStrictEqual(limits.overtaken, { runs: 2, seen: 7, stored: 8 });
  assert.match(limits.alwaysOvertaken.message, /overtaken by other commits \d+ times in 300 ms; what was overtaken committed nothing/);
  assert.ok(limits.alwaysOvertaken.attempts > 1, `${limits.alwaysOvertaken.attempts} attempts`);
  assert.strictEqual(limits.alwaysOvertaken.stored, 8);
  assert.deepStrictEqual(limits.readOnly, { n: 2, m: 2, runs: 2 }, "a read-only section never answers from two states");
});

test("Deno KV: two processes on one KV file: every message delivered and confirmed exactly once", { skip, timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "pandora-deno-kv-"));
  try {
    const file = path.join(dir, "shared.db");
    const COUNT = 300;
    const startAt = String(Date.now() + 1500); // both runtimes are up by then
    const script = path.join(ROOT, "tests/serve/scripts/deno-kv-process.js");
    const args = (name) => ["run", "--allow-read", "--allow-write", "--unstable-kv", "--no-lock", script, file, name, String(COUNT), startAt];
    const env = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
    const runs = await Promise.all([runJson(DENO, args("a"), { env }), runJson(DENO, args("b"), { env })]);
    const all = (field) => runs.flatMap((r) => r[field]);
    const sent = all("sent");
    assert.strictEqual(new Set(sent).size, 2 * COUNT, "every send a distinct message");
    assert.strictEqual(all("fetched").length, 2 * COUNT, "no message delivered twice");
    assert.deepStrictEqual(new Set(all("fetched")), new Set(sent), "every message delivered");
    assert.deepStrictEqual([...all("confirmed")].sort(), [...sent].sort(), "every message confirmed exactly once");
    const overlap = Math.min(runs[0].ended, runs[1].ended) - Math.max(runs[0].began, runs[1].began);
    assert.ok(overlap > 0, `the two processes ran at the same time (overlap ${overlap} ms)`);
    t.diagnostic(`overlap ${overlap} ms; fetched by a/b: ${runs[0].fetched.length}/${runs[1].fetched.length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Deno KV: a send in one process wakes a long poll in another on the same file (given its path)", { skip, timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "pandora-deno-wake-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "wake.db");
  const script = path.join(ROOT, "tests/serve/scripts/deno-kv-wake.js");
  const args = (role, mailbox = "far@x") => ["run", "--allow-read", "--allow-write", "--unstable-kv", "--no-lock", script, role, file, mailbox];
  const env = { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
  // The file exists before the waiter watches it.
  await runJson(DENO, args("send", "setup@x"), { env });
  const waiter = spawn(DENO, args("wait"), { cwd: ROOT, env });
  t.after(() => waiter.kill());
  let out = "";
  let err = "";
  waiter.stdout.on("data", (d) => (out += d));
  waiter.stderr.on("data", (d) => (err += d));
  const closed = new Promise((resolve) => waiter.on("close", resolve));
  await Promise.race([waitFor(() => out.includes("waiting"), "the waiter's first fetch", 30_000), closed.then(() => assert.fail(`waiter ended: ${err}`))]);
  const { mid } = await runJson(DENO, args("send"), { env });
  const guard = new Promise((_, reject) => setTimeout(() => reject(new Error(`not woken within 10 s: ${err}`)), 10_000).unref());
  await Promise.race([closed, guard]);
  assert.deepStrictEqual(JSON.parse(out.trim().split("\n").pop()), { mid }, err);
});
