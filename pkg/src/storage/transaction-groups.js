/**
 * Runs `exclusive` sections one after another inside database transactions,
 * several sections per transaction when they queue up (group commit).
 *
 * A durable commit (an fsync) costs far more than a queue operation, so when
 * sections arrive while one runs, they join its transaction and share its
 * commit. Each section runs inside a savepoint: one that throws is undone
 * alone and rejects at once; the others resolve only after the COMMIT has
 * returned, so nobody is told "done" before the write is durable. When the
 * COMMIT fails, every section of the group rejects: none of them happened.
 *
 * A section may name the lock it needs (`scope`: PostgreSQL's per-mailbox
 * locks); a transaction holds one scope's lock, so a group takes only the
 * sections of the scope it began with, in arrival order, and the next scope
 * waits for the next transaction. Nobody holds two mailbox locks at once,
 * so two processes can never wait on each other.
 *
 * A call the storage gets while a section runs is taken as that section's
 * (`inSection`): JS cannot tell which async caller made it (the wasm
 * executor runs several operations' continuations in one microtask, so an
 * async context would mis-attribute them, and a section taken for an
 * outsider would wait for itself). The Server makes every write inside a
 * section; code using a storage directly beside a Server should write inside
 * `exclusive` too, or its write joins whatever section runs.
 *
 * The database side is given as callbacks (sync or async), so SQLite's
 * synchronous API and PostgreSQL's client share this logic. A synchronous
 * driver blocks the event loop for the whole group (its COMMIT waits for the
 * disk), so requests that arrived meanwhile are still unread when its queue
 * runs dry: `gather` (SQLite: one turn of the event loop) lets them reach the
 * queue and join the open transaction before it commits.
 *
 * @module
 */

import { PandoraError } from "../error.js";

/**
 * A failure of the database itself (cannot connect, BEGIN or COMMIT failed),
 * as the `storage` error the core gives for a failed read or write, so
 * callers see one stable code whatever the driver's own codes are.
 * @param {unknown} err
 */
function storageError(err) {
  if (err instanceof PandoraError) return err;
  return new PandoraError("storage", `storage failed: ${/** @type {any} */ (err)?.message ?? String(err)}`, { cause: err });
}

/**
 * Runs one transaction step, turning its failure into a storage error.
 * @param {() => unknown} step
 */
async function step(fn) {
  try {
    return await fn();
  } catch (err) {
    throw storageError(err);
  }
}

/**
 * @typedef {object} TransactionSteps
 * @property {(scope: any) => unknown} begin opens the transaction and takes the cross-process lock of `scope`
 * @property {() => unknown} commit makes it durable
 * @property {() => unknown} rollback abandons it (the connection may be broken)
 * @property {() => unknown} savepoint marks the start of one section
 * @property {() => unknown} release keeps the section's changes
 * @property {() => unknown} undo rolls back to the savepoint and releases it
 * @property {() => Promise<void>} [gather] before COMMIT, lets queued-up work arrive (optional)
 */

/** Most sections that share one commit, so one transaction never holds the lock for long. */
const MAX_GROUP = 64;

/**
 * @param {TransactionSteps} steps
 * @returns {{ exclusive<T>(fn: () => Promise<T> | T, scope?: any): Promise<T>, readonly inSection: boolean, idle(): Promise<void> }}
 */
export function transactionGroups(steps) {
  /** @type {{ fn: () => any, scope: any, resolve: (v: any) => void, reject: (e: unknown) => void }[]} */
  const queue = [];
  let inSection = false;
  /** @type {Promise<void> | null} */
  let draining = null;
  async function runGroup() {
    const { scope } = queue[0];
    const ours = () => queue.length > 0 && queue[0].scope === scope;
    try {
      await step(() => steps.begin(scope));
    } catch (err) {
      while (ours()) /** @type {typeof queue[number]} */ (queue.shift()).reject(err);
      return;
    }
    /** @type {[typeof queue[number], unknown][]} */
    const done = [];
    // Sections run, failed ones included: a run of failing sections must not
    // keep the group (and its lock) open while the good ones wait for COMMIT.
    let ran = 0;
    try {
      for (;;) {
        if (queue.length === 0 && steps.gather && ran < MAX_GROUP) await steps.gather();
        if (!ours() || ran >= MAX_GROUP) break;
        ran++;
        const item = /** @type {typeof queue[number]} */ (queue.shift());
        let value;
        try {
          await step(steps.savepoint);
          inSection = true;
          try {
            value = await item.fn();
          } finally {
            inSection = false;
          }
        } catch (err) {
          try {
            await step(steps.undo);
          } catch (broken) {
            item.reject(err);
            throw broken;
          }
          item.reject(err);
          continue;
        }
        try {
          await step(steps.release);
        } catch (err) {
          item.reject(err);
          throw err;
        }
        done.push([item, value]);
      }
      await step(steps.commit);
    } catch (err) {
      // The transaction is lost (a failed COMMIT, a dropped connection):
      // nothing of this group is durable, so none of it may report success.
      try {
        await steps.rollback();
      } catch {
        // The connection is already gone; the database discarded the transaction.
      }
      for (const [item] of done) item.reject(storageError(err));
      return;
    }
    for (const [item, value] of done) item.resolve(value);
  }

  async function drain() {
    while (queue.length > 0) await runGroup();
    draining = null;
  }

  return {
    exclusive(fn, scope = null) {
      return new Promise((resolve, reject) => {
        queue.push({ fn, scope, resolve, reject });
        draining ??= drain();
      });
    },
    get inSection() {
      return inSection;
    },
    /** Resolves once every queued section has finished and its commit has returned. */
    async idle() {
      while (draining) await draining;
    },
  };
}
