// serve's SQLite durability: commits without their own fsync (synchronous =
// NORMAL), and each reply after an fsync of the WAL shared by the commits made
// while the previous one ran (pkg/src/serve/wal-sync.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { coalesced, walSync } from "../../pkg/src/serve/wal-sync.js";
import { sqliteStorage } from "../../pkg/src/storage/sqlite.js";
import { openSqlite } from "./support/sqlite-driver.js";

const dir = mkdtempSync(path.join(tmpdir(), "pandora-wal-sync-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => path.join(dir, `q${n++}.db`);

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A flush the test finishes by hand; `runs` lists each run's { resolve, reject }. */
function heldFlush() {
  const runs = [];
  const flush = () => new Promise((resolve, reject) => runs.push({ resolve, reject }));
  return { runs, flush };
}

test("coalesced: calls made while a flush runs share the one run that follows it", async () => {
  const { runs, flush } = heldFlush();
  const sync = coalesced(flush);
  const first = sync();
  const later = Array.from({ length: 9 }, () => sync());
  assert.strictEqual(runs.length, 1, "a second run started while the first ran");
  runs[0].resolve();
  await first;
  while (runs.length < 2) await turn();
  assert.strictEqual(runs.length, 2);
  runs[1].resolve();
  await Promise.all(later);
  assert.strictEqual(runs.length, 2, "nine waiting calls cost one more run, not nine");
  await sync.settled();
});

test("coalesced: a failed run rejects only its own callers; the next call runs afresh", async () => {
  const { runs, flush } = heldFlush();
  const sync = coalesced(flush);
  const failed = sync();
  const waiting = sync();
  runs[0].reject(new Error("EIO"));
  await assert.rejects(failed, /EIO/);
  while (runs.length < 2) await turn();
  runs[1].resolve();
  await waiting;
  const again = sync();
  runs[2].resolve();
  await again;
});

test("sqliteStorage with walSync: commits skip their fsync, and a write resolves only after its flush", async () => {
  const db = file();
  const { runs, flush } = heldFlush();
  const conn = await openSqlite("node:sqlite", db);
  const storage = sqliteStorage(conn, { walSync: coalesced(flush) });
  const other = await openSqlite("node:sqlite", db);
  try {
    let done = false;
    const write = storage.write([["k", new Uint8Array([7])]]).then(() => (done = true));
    while (runs.length < 1) await turn();
    // Committed (another connection reads it) but not yet reported: the flush has not returned.
    assert.deepStrictEqual([...other.prepare("SELECT value FROM pandora_kv WHERE key = 'k'").get().value], [7]);
    await turn();
    assert.strictEqual(done, false, "the write resolved before the WAL was flushed");
    runs[0].resolve();
    await write;
    // 1 = NORMAL: the commit itself does not wait for the disk; walSync does.
    assert.strictEqual(conn.prepare("PRAGMA synchronous").get().synchronous, 1);
  } finally {
    other.close();
    await storage.close();
  }
});

test("sqliteStorage with walSync: writes that commit during one flush share the next", async () => {
  const { runs, flush } = heldFlush();
  const storage = sqliteStorage(await openSqlite("node:sqlite", file()), { walSync: coalesced(flush) });
  const first = storage.write([["a", new Uint8Array([1])]]);
  while (runs.length < 1) await turn();
  // Eight writes, each in its own transaction (a turn apart), while the first flush runs.
  const later = [];
  for (let i = 0; i < 8; i++) {
    later.push(storage.write([[`b${i}`, new Uint8Array([i])]]));
    await turn();
    await turn();
  }
  assert.strictEqual(runs.length, 1);
  runs[0].resolve();
  await first;
  while (runs.length < 2) await turn();
  runs[1].resolve();
  await Promise.all(later);
  assert.strictEqual(runs.length, 2, "eight commits during one flush cost one more flush");
  assert.strictEqual(storage.list({ prefix: "" }).length, 9);
  await storage.close();
});

test("walSync on a real file: every reported write is there after reopening", async () => {
  const db = file();
  const sync = walSync(db);
  const storage = sqliteStorage(await openSqlite("node:sqlite", db), { walSync: sync });
  await Promise.all(Array.from({ length: 40 }, (_, i) => storage.write([[`k${String(i).padStart(2, "0")}`, new Uint8Array([i])]])));
  await storage.close();
  await sync.close();
  const reopened = sqliteStorage(await openSqlite("node:sqlite", db));
  assert.deepStrictEqual(reopened.list({ prefix: "" }).map(([, v]) => v[0]), Array.from({ length: 40 }, (_, i) => i));
  await reopened.close();
});

test("sqliteStorage refuses a walSync that is not a function", async () => {
  const db = await openSqlite("node:sqlite", file());
  assert.throws(() => sqliteStorage(db, { walSync: "fsync" }), TypeError);
  db.close();
});

test("sqliteStorage without walSync: each COMMIT waits for the disk itself (synchronous = FULL)", async () => {
  const conn = await openSqlite("node:sqlite", file());
  const storage = sqliteStorage(conn);
  assert.strictEqual(conn.prepare("PRAGMA synchronous").get().synchronous, 2);
  await storage.close();
});
