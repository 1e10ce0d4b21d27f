/**
 * Opens the store named by `--store`: `memory` (the Server's built-in store),
 * `sqlite:<file>` on the runtime's own SQLite (bun:sqlite in Bun, node:sqlite
 * in Node ≥ 22.5 and Deno, else the optional `better-sqlite3` package), or a
 * `postgres://` URL on the optional `pg` package.
 *
 * @module
 */
import { createRequire } from "node:module";
import path from "node:path";
import { sqliteStorage } from "../storage/sqlite.js";
import { postgresStorage } from "../storage/postgres.js";
import { UsageError } from "./config.js";

/**
 * An optional package, looked up from the user's folder first, then from this package.
 * @param {string} name
 */
function optional(name) {
  for (const from of [path.join(process.cwd(), "noop.js"), import.meta.url]) {
    try {
      return createRequire(from)(name);
    } catch (err) {
      if (/** @type {any} */ (err)?.code !== "MODULE_NOT_FOUND") throw err;
    }
  }
  return null;
}

/** @param {string} file */
async function openSqliteFile(file) {
  if (typeof (/** @type {any} */ (globalThis).Bun) !== "undefined") {
    const { Database } = await import(/* @vite-ignore */ "bun:sqlite");
    return { db: new Database(file), driver: "bun:sqlite" };
  }
  try {
    const { DatabaseSync } = await import("node:sqlite");
    return { db: new DatabaseSync(file), driver: "node:sqlite" };
  } catch (err) {
    if (!["ERR_UNKNOWN_BUILTIN_MODULE", "ERR_MODULE_NOT_FOUND"].includes(/** @type {any} */ (err)?.code) && !/node:sqlite/.test(String(err))) throw err;
  }
  const Database = optional("better-sqlite3");
  if (!Database) throw new UsageError("sqlite: this Node has no node:sqlite (it needs Node >= 22.5): npm install better-sqlite3, or run a newer Node");
  return { db: new Database(file), driver: "better-sqlite3" };
}

/**
 * @param {string} spec
 * @param {{ table: string, log: (line: string) => void }} options
 * @returns {Promise<{ storage: any, describe: string, close(): Promise<void> }>}
 */
export async function openStore(spec, { table, log }) {
  if (spec === "memory") {
    return { storage: undefined, describe: "memory (gone when the process ends)", close: async () => {} };
  }
  if (spec.startsWith("sqlite:")) {
    const file = spec.slice("sqlite:".length);
    if (!file) throw new UsageError("--store sqlite:<file> needs a file name, e.g. sqlite:./queue.db");
    const { db, driver } = await openSqliteFile(file);
    const storage = sqliteStorage(db, { table });
    const durable = file === ":memory:" ? "in memory" : "durable: each reply after its commit is on disk, concurrent requests share one commit";
    return {
      storage,
      describe: `sqlite ${path.resolve(file)} (${driver}, WAL, ${durable})`,
      close: () => storage.close(),
    };
  }
  if (/^postgres(ql)?:\/\//.test(spec)) {
    const pg = optional("pg");
    if (!pg) throw new UsageError("postgres: npm install pg");
    // keepAlive: a server gone without a word is noticed on idle connections too.
    const pool = new pg.Pool({ connectionString: spec, max: 4, keepAlive: true });
    // An idle connection dropped by the server must not crash the process;
    // the next operation opens a new one (or fails with a storage error).
    pool.on("error", (/** @type {Error} */ err) => log(`postgres: idle connection lost: ${err.message}`));
    const storage = postgresStorage(pool, { table, log });
    try {
      await storage.ready;
    } catch (err) {
      await pool.end().catch(() => {});
      throw new Error(`postgres: cannot prepare table ${table}: ${/** @type {Error} */ (err).message}`);
    }
    const url = new URL(spec);
    url.password = url.password ? "***" : "";
    return {
      storage,
      describe: `postgres ${url.host}${url.pathname} table ${table}`,
      async close() {
        await storage.close();
        await pool.end();
      },
    };
  }
  throw new UsageError(`unknown --store ${JSON.stringify(spec)}: use memory, sqlite:<file> or postgres://…`);
}
