// Opens a SQLite file for the bare baselines on the same driver `pandora-mq
// serve` picks on this Node (node:sqlite from Node 22.5, else better-sqlite3),
// so a baseline and serve are held against the same SQLite build. Both drivers
// share exec / prepare → run / get / all, which is all the baselines use.
import { createRequire } from "node:module";

/** @param {string} file @returns {Promise<{ db: any, driver: string }>} */
export async function openSqlite(file) {
  try {
    const { DatabaseSync } = await import("node:sqlite");
    return { db: new DatabaseSync(file), driver: "node:sqlite" };
  } catch {
    const Database = createRequire(import.meta.url)("better-sqlite3");
    return { db: new Database(file), driver: "better-sqlite3" };
  }
}

/** `fn` inside BEGIN IMMEDIATE … COMMIT (ROLLBACK when it throws). */
export function immediate(db, fn) {
  return (...args) => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const out = fn(...args);
      db.exec("COMMIT");
      return out;
    } catch (err) {
      db.exec("ROLLBACK");
      throw err;
    }
  };
}
