/**
 * Opens a SQLite file with the named driver, the way a user of that driver would.
 *
 * @module
 */
import { createRequire } from "node:module";

/**
 * @param {"node:sqlite" | "better-sqlite3"} driver
 * @param {string} file
 */
export async function openSqlite(driver, file) {
  if (driver === "node:sqlite") {
    const { DatabaseSync } = await import("node:sqlite");
    return new DatabaseSync(file);
  }
  if (driver === "better-sqlite3") {
    const Database = createRequire(import.meta.url)("better-sqlite3");
    return new Database(file);
  }
  throw new Error(`unknown sqlite driver ${driver}`);
}
