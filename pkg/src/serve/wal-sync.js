/**
 * `walSync` for `sqliteStorage` on a file: flushes the database's `-wal`
 * file to disk with an fdatasync on a libuv thread, so the event loop keeps
 * reading requests (and their transactions keep committing) while the disk
 * works. A commit in WAL mode is durable once its frames in the `-wal` file
 * are: an fsync applies to the file, whichever descriptor wrote it, and SQLite
 * never removes the `-wal` file while a connection (this process's) is open.
 *
 * Flushes are coalesced: a call made while one runs waits for the next one,
 * which starts when the running one ends and covers every call made
 * meanwhile, so N commits during one flush cost one more flush, not N.
 *
 * @module
 */
import { open } from "node:fs/promises";
import path from "node:path";

/**
 * @param {string} file the database file
 * @returns {(() => Promise<void>) & { close(): Promise<void> }} resolves once every commit made
 *   before the call is on disk; `close()` after the storage has closed
 */
export function walSync(file) {
  const wal = `${path.resolve(file)}-wal`;
  /** @type {import("node:fs/promises").FileHandle | null} */
  let handle = null;

  async function flush() {
    if (handle === null) {
      try {
        handle = await open(wal, "r");
      } catch (err) {
        // No -wal file yet: nothing was committed, so nothing waits for the disk.
        if (/** @type {any} */ (err)?.code === "ENOENT") return;
        throw err;
      }
      // The -wal file's own name must survive a power cut too: flush its folder once.
      const dir = await open(path.dirname(wal), "r");
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    }
    await handle.datasync();
  }

  const sync = coalesced(flush);
  return Object.assign(sync, {
    async close() {
      await sync.settled();
      await handle?.close();
      handle = null;
    },
  });
}

/**
 * `flush` run one at a time: a call while one runs is answered by the next
 * run, which starts when the running one ends and serves every call made meanwhile.
 * @param {() => Promise<void>} flush
 * @returns {(() => Promise<void>) & { settled(): Promise<void> }}
 */
export function coalesced(flush) {
  /** @type {Promise<void> | null} */
  let running = null;
  /** @type {Promise<void> | null} */
  let next = null;

  function start() {
    running = flush().finally(() => {
      running = null;
    });
    return running;
  }

  function call() {
    if (next) return next;
    if (!running) return start();
    next = running.catch(() => {}).then(() => {
      next = null;
      return start();
    });
    return next;
  }
  /** Resolves once no run is under way or waiting (whatever their outcome). */
  call.settled = async () => {
    while (next ?? running) await (next ?? running)?.catch(() => {});
  };
  return call;
}
