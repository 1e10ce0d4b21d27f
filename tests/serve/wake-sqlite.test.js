// Long polls across connections on one SQLite file, as two processes have
// them: a send through one server wakes a waiter of another (the WAL's
// change, seen by fs.watch, and PRAGMA data_version). The waiter's timers
// never fire, so nothing but the wake-up can end its wait before the test's
// guard does. Then the waiter runs in a process of its own, on Node, Bun and
// Deno.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Server, sqliteStorage } from "pandora-mq";
import { NODE24 } from "./support/node-lines.js";
import { ROOT } from "./support/run-suite.js";
import { waitFor } from "./support/raw-http.js";

/** Timers whose callbacks never run: a long poll can only end by a wake-up. */
const frozen = { setTimeout: () => 0, clearTimeout: () => {} };
/** Rejects after `ms` of real time: the test's guard, never its assertion. */
const guard = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`not woken within ${ms} ms: ${what}`)), ms).unref());

async function twoServers(t) {
  const dir = mkdtempSync(path.join(tmpdir(), "pandora-wake-"));
  const file = path.join(dir, "q.db");
  const [sa, sb] = [sqliteStorage(new DatabaseSync(file)), sqliteStorage(new DatabaseSync(file))];
  t.after(async () => {
    await Promise.all([sa.close(), sb.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  return { a: new Server({ storage: sa }), b: new Server({ storage: sb, timers: frozen }) };
}

test("sqlite: a send through one connection wakes a long poll waiting on another", async (t) => {
  const { a, b } = await twoServers(t);
  await b.stats("bob@x"); // the format check is behind us
  const waiting = b.fetchLatest("bob@x", { wait: 20_000 });
  await new Promise((resolve) => setTimeout(resolve, 100)); // its first fetch has found nothing
  const { mid } = await a.send({ sender: "a@x", receiver: "bob@x", body: { n: 1 } });
  assert.strictEqual((await Promise.race([waiting, guard(10_000, "fetchLatest")]))?.mid, mid);
});

test("sqlite: many waiters on another connection, each message delivered to one of them", async (t) => {
  const { a, b } = await twoServers(t);
  const waiters = Array.from({ length: 6 }, () => b.fetchLatest("many@x", { wait: 20_000 }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const sent = [];
  for (let i = 0; i < 6; i++) sent.push((await a.send({ sender: "a@x", receiver: "many@x", body: { i } })).mid);
  const got = await Promise.race([Promise.all(waiters), guard(10_000, "6 waiters")]);
  assert.deepStrictEqual(got.map((m) => m.mid).sort(), sent.sort());
});

test("sqlite: an in-memory database has nothing to watch, and long polls still end at their deadline", async () => {
  let now = 0;
  const server = new Server({ storage: sqliteStorage(new DatabaseSync(":memory:")), clock: () => now });
  const waiting = server.fetchLatest("bob@x", { wait: 50 });
  now = 60;
  assert.strictEqual(await waiting, null);
});

// The waiter in a process of its own, on each runtime: the sender is this process.
for (const runtime of ["Node", "Bun", "Deno"]) {
  const bin = { Node: NODE24, Bun: path.join(ROOT, "node_modules/.bin/bun"), Deno: path.join(ROOT, "node_modules/.bin/deno") }[runtime];
  const skip = existsSync(bin) ? false : `no ${bin}`;
  test(`sqlite: a send in this process wakes a long poll in a ${runtime} process on the same file`, { skip, timeout: 60_000 }, async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), "pandora-wake-"));
    const file = path.join(dir, "q.db");
    const sender = sqliteStorage(new DatabaseSync(file));
    const script = path.join(ROOT, "tests/serve/scripts/sqlite-waiter.js");
    const args = runtime === "Deno" ? ["run", "-A", "--no-lock", script, file, "far@x"] : [script, file, "far@x"];
    const child = spawn(bin, args, { cwd: ROOT, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } });
    t.after(async () => {
      child.kill();
      await sender.close();
      rmSync(dir, { recursive: true, force: true });
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const exited = new Promise((resolve) => child.on("close", resolve)); // its output read to the end
    await Promise.race([waitFor(() => out.includes("waiting"), "the waiter's first fetch", 30_000), exited.then(() => assert.fail(`waiter exited: ${err}`))]);
    const { mid } = await new Server({ storage: sender }).send({ sender: "a@x", receiver: "far@x", body: { runtime } });
    await Promise.race([exited, guard(10_000, `${runtime} waiter`)]);
    const line = out.trim().split("\n").pop();
    assert.deepStrictEqual(JSON.parse(line), { mid }, err);
  });
}
