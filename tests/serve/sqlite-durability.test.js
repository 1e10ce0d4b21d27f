// sqliteStorage's durability on a real file: every COMMIT waits for the disk
// (WAL, synchronous = FULL), what a write reported is there after reopening,
// and writes that queue up share one commit (transaction-groups.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sqliteStorage } from "../../pkg/src/storage/sqlite.js";
import { openSqlite } from "./support/sqlite-driver.js";

const dir = mkdtempSync(path.join(tmpdir(), "pandora-sqlite-durability-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => path.join(dir, `q${n++}.db`);

test("each COMMIT waits for the disk itself: WAL, synchronous = FULL", async () => {
  const conn = await openSqlite("node:sqlite", file());
  const storage = sqliteStorage(conn);
  assert.strictEqual(conn.prepare("PRAGMA synchronous").get().synchronous, 2);
  assert.strictEqual(conn.prepare("PRAGMA journal_mode").get().journal_mode, "wal");
  await storage.close();
});

test("writes made at once share commits, and every reported write is there after reopening", async () => {
  const db = file();
  const conn = await openSqlite("node:sqlite", db);
  let commits = 0;
  const exec = conn.exec.bind(conn);
  conn.exec = (sql) => {
    if (sql === "COMMIT") commits += 1;
    return exec(sql);
  };
  const storage = sqliteStorage(conn);
  await Promise.all(Array.from({ length: 40 }, (_, i) => storage.write([[`k${String(i).padStart(2, "0")}`, new Uint8Array([i])]])));
  assert.ok(commits >= 1 && commits < 40, `${commits} commits for 40 writes made at once`);
  await storage.close();
  const reopened = sqliteStorage(await openSqlite("node:sqlite", db));
  assert.deepStrictEqual(reopened.list({ prefix: "" }).map(([, v]) => v[0]), Array.from({ length: 40 }, (_, i) => i));
  await reopened.close();
});
