/**
 * Wake-ups between processes that share one database file and have no way
 * to message each other (SQLite, a local Deno KV): the file itself tells.
 * Every commit writes the file's WAL, and the OS reports the change to
 * whoever watches it (`fs.watch`). The store says whether a change was
 * another connection's commit (`changed()`: SQLite's `PRAGMA data_version`,
 * Deno KV's clock), so a process's own commits wake nobody a second time. A
 * commit names no mailbox: every waiter of the process checks its own, one
 * fetch each.
 *
 * The watch starts with the first waiter and ends once nobody has waited for
 * `LINGER_MS`. Where there is nothing to watch (an in-memory database, a
 * runtime without `process.getBuiltinModule`, a file system that cannot be
 * watched), waiters still end at their next due time or deadline and find
 * there what other processes sent.
 *
 * @module
 */

/** How long the watch stays with nobody waiting, so back-to-back long polls keep one. */
const LINGER_MS = 2_000;

/**
 * When to look again after a change that showed no commit yet (ms after the
 * change): a writer at `synchronous = FULL` writes its WAL frames, then waits
 * for the disk, and only then is its commit visible, with no further write
 * to the file to tell of it. Each look is one read of shared memory.
 */
const RECHECKS_MS = [2, 10, 30, 100, 300, 1_000];

/**
 * `fs.watch`, reached at run time so that bundles for the browser never see
 * a `node:fs` import; null where the runtime has no such module.
 * @returns {((path: string, listener: () => void) => any) | null}
 */
function fsWatch() {
  const load = /** @type {any} */ (globalThis).process?.getBuiltinModule;
  if (typeof load !== "function") return null;
  const fs = load("node:fs");
  return typeof fs?.watch === "function" ? fs.watch : null;
}

/**
 * The `subscribe` storage member over the file `wal`, plus `close`.
 * @param {string | null} wal the file every commit writes, or null: nothing to watch
 * @param {{ start(): void | Promise<void>, changed(): boolean | Promise<boolean> }} store
 *   `start` notes where the store stands as the watch begins; `changed` says
 *   whether another connection committed since it last looked
 */
export function fileWake(wal, store) {
  /** @type {Set<(mailboxes: string[] | null) => void>} */
  const listeners = new Set();
  /** @type {any} */
  let watcher = null;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let linger = null;
  let closed = false;
  /** Bumped by every change the watch reports: a check chain sees whether a newer one started. */
  let changes = 0;

  /** Looks for another connection's commit after the change numbered `change`, again and again while there is none. */
  async function check(change, step = 0) {
    if (change !== changes || !watcher) return; // a newer change runs its own chain
    let moved = false;
    try {
      moved = await store.changed();
    } catch {
      return; // the database closed meanwhile: nobody to wake
    }
    if (moved) {
      for (const listener of listeners) listener(null);
      return;
    }
    if (step < RECHECKS_MS.length) {
      const wait = RECHECKS_MS[step] - (step === 0 ? 0 : RECHECKS_MS[step - 1]);
      setTimeout(() => check(change, step + 1), wait).unref?.();
    }
  }

  function start() {
    const watch = fsWatch();
    if (closed || watcher || !watch || !wal) return;
    try {
      watcher = watch(wal, () => {
        // One commit is several writes, each reported: each starts the checks
        // afresh, and the chain of an earlier one ends at its next step.
        const change = ++changes;
        setTimeout(() => check(change), 0);
      });
      watcher.on?.("error", stop);
      watcher.unref?.();
      Promise.resolve(store.start()).catch(() => {});
    } catch {
      watcher = null; // nothing here can be watched: waiters end at their deadline
    }
  }

  function stop() {
    if (linger) clearTimeout(linger);
    linger = null;
    watcher?.close();
    watcher = null;
  }

  return {
    /** @param {(mailboxes: string[] | null) => void} listener */
    subscribe(listener) {
      listeners.add(listener);
      if (linger) clearTimeout(linger);
      linger = null;
      start();
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || !watcher) return;
        linger = setTimeout(stop, LINGER_MS);
        linger.unref?.();
      };
    },
    close() {
      closed = true;
      listeners.clear();
      stop();
    },
  };
}
