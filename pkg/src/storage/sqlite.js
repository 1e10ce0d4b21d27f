/**
 * SQLite storage over the synchronous `exec` / `prepare` → `run` / `get` /
 * `all` surface that `node:sqlite` (Node ≥ 22.5, Deno), `better-sqlite3` and
 * `bun:sqlite` share: pass an open database of any of them.
 *
 * One table, `key TEXT PRIMARY KEY` in SQLite's default BINARY collation
 * (bytewise, as the contract orders keys) and `value BLOB`. The database runs
 * in WAL mode with `synchronous = FULL`, so a commit that has returned survives
 * a power cut. Every `write` and every `exclusive` section runs in a
 * `BEGIN IMMEDIATE` transaction: SQLite lets one writer at a time hold it, in
 * this process or any other on the same file, and the section's reads happen
 * inside it, so two processes never lease the same message. Sections that
 * queue up share one commit (see transaction-groups.js): before it commits, a
 * group lets one turn of the event loop pass, so that sections of requests
 * read meanwhile (while the last COMMIT waited for the disk) join it. (A
 * flush of the WAL on a libuv thread, with commits at `synchronous = NORMAL`,
 * kept the event loop free during the disk's wait but measured 10–20% slower
 * on one connection and no faster on eight.) When another process
 * holds the lock (`SQLITE_BUSY`), this waits without blocking the event loop
 * and tries again. Another process's commit wakes this one's long polls
 * (file-wake.js: the WAL's change, and PRAGMA data_version).
 *
 * @module
 */

import { validateBatch } from "./memory.js";
import { transactionGroups } from "./transaction-groups.js";
import { fileWake } from "./file-wake.js";

/** Above every ASCII key: bounds a prefix range (keys are ASCII, "\u0080" is 0xC2 0x80 in UTF-8). */
const PAST_ASCII = "\u0080";

/** How long one attempt blocks inside SQLite before it gives the event loop back. */
const BUSY_SLICE_MS = 20;

/** How long a lock is waited for in total before the operation fails with a storage error. */
const BUSY_GIVE_UP_MS = 30_000;

/** Table names are interpolated into SQL, so only plain identifiers are accepted. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * True for "the database is locked by someone else" in any of the drivers.
 * @param {any} err
 */
function isBusy(err) {
  const code = err?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || err?.errcode === 5 || err?.errno === 5
    || /database is locked|SQLITE_BUSY/i.test(String(err?.message));
}

/** @param {number} ms */
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One turn of the event loop (its I/O phase included), so requests that came
 * in while a synchronous COMMIT held the loop are read before the next one.
 */
const nextTurn = typeof setImmediate === "function"
  ? () => new Promise((resolve) => setImmediate(resolve))
  : () => pause(0);

/**
 * Runs `fn` until it does not fail with SQLITE_BUSY, pausing between tries.
 * @template T
 * @param {() => T} fn
 * @returns {Promise<T>}
 */
async function waitOutBusy(fn) {
  const deadline = Date.now() + BUSY_GIVE_UP_MS;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || Date.now() > deadline) throw err;
    }
    await pause(delay);
  }
}

/**
 * A stored value as a plain Uint8Array of its own (drivers return Buffers or views).
 * @param {any} value
 * @returns {Uint8Array}
 */
function toBytes(value) {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return new Uint8Array(/** @type {any} */ (value));
  throw new TypeError("sqlite storage holds a value that is not a BLOB");
}

/**
 * better-sqlite3 binds Buffers as BLOBs; the other drivers take any Uint8Array.
 * @param {Uint8Array} value
 */
function blob(value) {
  const B = /** @type {any} */ (globalThis).Buffer;
  return B ? B.from(value.buffer, value.byteOffset, value.byteLength) : value;
}

/**
 * @param {any} db an open `node:sqlite` DatabaseSync, `better-sqlite3` Database or `bun:sqlite` Database
 * @param {{ table?: string }} [options] `table` lets several queues share one file (default "pandora_kv")
 * @returns {{
 *   get(key: string): Uint8Array | undefined,
 *   list(o: { prefix: string, start?: string, limit?: number }): [string, Uint8Array][],
 *   write(batch: [string, Uint8Array | null][]): Promise<void>,
 *   exclusive<T>(fn: () => Promise<T>): Promise<T>,
 *   subscribe(listener: (mailboxes: string[] | null) => void): () => void,
 *   close(): Promise<void>,
 * }}
 */
export function sqliteStorage(db, { table = "pandora_kv" } = {}) {
  if (typeof db?.prepare !== "function" || typeof db?.exec !== "function") {
    throw new TypeError("sqliteStorage needs an open database with prepare() and exec() (node:sqlite, better-sqlite3 or bun:sqlite)");
  }
  if (!IDENTIFIER.test(table)) throw new TypeError(`sqliteStorage: table must be a plain SQL identifier, got ${JSON.stringify(table)}`);

  db.exec(`PRAGMA busy_timeout = ${BUSY_SLICE_MS}`);
  // WAL: readers never wait for the writer. FULL: every commit is fsynced.
  db.prepare("PRAGMA journal_mode = WAL").get();
  db.exec("PRAGMA synchronous = FULL");
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY COLLATE BINARY, value BLOB NOT NULL) WITHOUT ROWID`);

  const selectOne = db.prepare(`SELECT value FROM ${table} WHERE key = ?`);
  const selectRange = db.prepare(`SELECT key, value FROM ${table} WHERE key >= ? AND key < ? ORDER BY key LIMIT ?`);
  const upsert = db.prepare(`INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  const remove = db.prepare(`DELETE FROM ${table} WHERE key = ?`);

  const groups = transactionGroups({
    begin: () => waitOutBusy(() => db.exec("BEGIN IMMEDIATE")),
    commit: () => waitOutBusy(() => db.exec("COMMIT")),
    rollback: () => db.exec("ROLLBACK"),
    savepoint: () => db.exec("SAVEPOINT op"),
    release: () => db.exec("RELEASE op"),
    undo: () => {
      db.exec("ROLLBACK TO op");
      db.exec("RELEASE op");
    },
    gather: nextTurn,
  });

  /** @param {[string, Uint8Array | null][]} batch */
  function apply(batch) {
    for (const [key, value] of batch) {
      if (value === null) remove.run(key);
      else upsert.run(key, blob(value));
    }
  }

  // Another process's commit moves data_version (this connection's own do not).
  const dataVersion = db.prepare("PRAGMA data_version");
  const version = () => Number(dataVersion.get().data_version);
  let seen = 0;
  const main = db.prepare("PRAGMA database_list").all().find((/** @type {any} */ row) => row.name === "main");
  const wake = fileWake(main?.file ? `${main.file}-wal` : null, {
    start: () => void (seen = version()),
    changed: () => seen !== (seen = version()),
  });

  let closed = false;
  return {
    get(key) {
      const row = selectOne.get(key);
      return row === undefined || row === null ? undefined : toBytes(row.value);
    },

    list({ prefix, start, limit }) {
      if (typeof prefix !== "string") throw new TypeError("list: prefix must be a string");
      const from = start !== undefined && start > prefix ? start : prefix;
      const rows = selectRange.all(from, prefix + PAST_ASCII, limit ?? -1);
      return rows.map((/** @type {any} */ row) => [row.key, toBytes(row.value)]);
    },

    async write(batch) {
      validateBatch(batch);
      if (groups.inSection) apply(batch);
      else await groups.exclusive(() => apply(batch));
    },

    exclusive: (fn) => groups.exclusive(fn),

    subscribe: wake.subscribe,

    async close() {
      if (closed) return;
      closed = true;
      wake.close();
      await groups.idle();
      db.close();
    },
  };
}
