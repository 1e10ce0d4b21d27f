/**
 * Browser storage on IndexedDB: one database per queue, one object store `kv`
 * with out-of-line string keys and Uint8Array values.
 *
 * IndexedDB compares string keys by UTF-16 code unit, which for the ASCII
 * keys of the contract is the same as bytewise order, so `list` can be a
 * plain key range. Each `write` is one readwrite transaction, which IndexedDB
 * commits completely or not at all.
 *
 * @module
 */

import { validateBatch } from "./memory.js";
import { wakeChannel } from "./wake-channel.js";

const STORE = "kv";

/**
 * Resolves when `tx` commits; rejects when it aborts or fails.
 * @param {IDBTransaction} tx
 * @returns {Promise<void>}
 */
function committed(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

/**
 * True for the errors IndexedDB throws when a transaction has already finished.
 * @param {unknown} err
 */
function isInactive(err) {
  const name = /** @type {any} */ (err)?.name;
  return name === "TransactionInactiveError" || name === "InvalidStateError";
}

/**
 * Turns an IDBRequest into a promise of its result.
 * @template T
 * @param {IDBRequest<T>} request
 * @returns {Promise<T>}
 */
function settle(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Normalises a stored value to a Uint8Array. Reads are structured clones,
 * so the result is already a fresh copy nobody else holds.
 * @param {unknown} value
 * @returns {Uint8Array}
 */
function toBytes(value) {
  return value instanceof ArrayBuffer ? new Uint8Array(value) : /** @type {Uint8Array} */ (value);
}

/**
 * A promise-chain mutex, used only when the Web Locks API is missing
 * (very old browsers, some embedded webviews). It serialises sections within
 * this page only: it CANNOT stop another tab from running at the same time,
 * so without Web Locks two tabs sharing a database may double-deliver.
 * @returns {<T>(fn: () => Promise<T>) => Promise<T>}
 */
function pageMutex() {
  /** @type {Promise<unknown>} */
  let tail = Promise.resolve();
  return (fn) => {
    const run = tail.then(() => fn());
    // The next section waits for this one whether it succeeds or fails.
    tail = run.catch(() => {});
    return run;
  };
}

/**
 * Opens (lazily, once) the IndexedDB database `name` and returns a storage
 * backed by it.
 *
 * @param {string} [name] database name; also names the cross-tab lock and wake-up channel
 * @param {{ idb?: IDBFactory, locks?: LockManager | null, BroadcastChannel?: typeof BroadcastChannel }} [options]
 *   `idb`, `locks` and `BroadcastChannel` default to the page's; pass others to test or to use a worker's
 * @returns {{
 *   get(key: string): Promise<Uint8Array | undefined>,
 *   list(o: { prefix: string, start?: string, limit?: number }): Promise<[string, Uint8Array][]>,
 *   write(batch: [string, Uint8Array | null][]): Promise<void>,
 *   exclusive<T>(fn: () => Promise<T>): Promise<T>,
 *   notify(mailboxes: string[] | null): void,
 *   subscribe(listener: (mailboxes: string[] | null) => void): () => void,
 *   close(): Promise<void>,
 * }}
 */
export function indexedDbStorage(
  name = "pandora-mq",
  { idb = globalThis.indexedDB, locks = globalThis.navigator?.locks, BroadcastChannel = globalThis.BroadcastChannel } = {},
) {
  // A send in another tab wakes this tab's long polls.
  const wake = wakeChannel(name, BroadcastChannel);
  /** @type {Promise<IDBDatabase> | null} */
  let opening = null;

  /** @returns {Promise<IDBDatabase>} */
  function open() {
    opening ??= new Promise((resolve, reject) => {
      const request = idb.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => {
        const db = request.result;
        // Another tab wants to delete or upgrade the database ("clear database"):
        // step aside instead of blocking it forever, and reopen on next use.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      request.onerror = () => {
        opening = null; // let a later call retry
        reject(request.error);
      };
      request.onblocked = () => {}; // an older connection will close via onversionchange
    });
    return opening;
  }

  // While an `exclusive` section runs, its reads and its write share ONE
  // readwrite transaction (a queue operation is a few reads then one write):
  // one transaction instead of four or five per operation. IndexedDB keeps a
  // transaction alive across promise callbacks, so this holds as long as the
  // operation never waits on a macrotask; if it does, the transaction has
  // committed and calls fall back to transactions of their own (the Web Lock
  // still keeps other tabs out).
  /** @type {{ tx: IDBTransaction | null, done: Promise<void> | null } | null} */
  let section = null;

  /**
   * The object store for one call: the section's transaction when it is still
   * usable, else a new transaction in `mode`.
   * @param {IDBTransactionMode} mode
   * @returns {Promise<{ store: IDBObjectStore, shared: boolean }>}
   */
  async function storeFor(mode) {
    const db = await open();
    if (section) {
      try {
        if (!section.tx) {
          const tx = db.transaction(STORE, "readwrite");
          section.done = committed(tx);
          section.done.catch(() => {}); // observed by write(); never an unhandled rejection
          section.tx = tx;
        }
        const store = section.tx.objectStore(STORE);
        return { store, shared: true };
      } catch (err) {
        if (!isInactive(err)) throw err;
        section = null;
      }
    }
    return { store: db.transaction(STORE, mode).objectStore(STORE), shared: false };
  }

  /**
   * Issues requests on a store, retrying once on a fresh transaction when the
   * shared one has already committed.
   * @template T
   * @param {IDBTransactionMode} mode
   * @param {(store: IDBObjectStore) => Promise<T>} body
   * @returns {Promise<T>}
   */
  async function withStore(mode, body) {
    const { store, shared } = await storeFor(mode);
    try {
      return await body(store);
    } catch (err) {
      if (!shared || !isInactive(err)) throw err;
      section = null;
      return body((await storeFor(mode)).store);
    }
  }

  const lock = locks
    ? /** @type {<T>(fn: () => Promise<T>) => Promise<T>} */ (fn) =>
        locks.request(`pandora-mq:${name}`, () => fn())
    : pageMutex();

  /** @type {<T>(fn: () => Promise<T>) => Promise<T>} */
  const exclusive = (fn) =>
    lock(async () => {
      const mine = { tx: null, done: null };
      section = mine;
      try {
        return await fn();
      } finally {
        if (section === mine) section = null;
      }
    });

  return {
    get(key) {
      return withStore("readonly", async (store) => {
        const value = await settle(store.get(key));
        return value === undefined ? undefined : toBytes(value);
      });
    },

    list({ prefix, start, limit }) {
      if (typeof prefix !== "string") return Promise.reject(new TypeError("list: prefix must be a string"));
      const lower = start !== undefined && start > prefix ? start : prefix;
      // Every ASCII key with the prefix sorts below prefix + "\uffff", and no
      // key without it lies between prefix and that bound.
      const upper = `${prefix}\uffff`;
      // IDBKeyRange.bound throws when lower > upper; and count 0 means "all" to getAll.
      if (lower > upper || limit === 0) return Promise.resolve([]);
      const range = IDBKeyRange.bound(lower, upper);
      return withStore("readonly", async (store) => {
        // Both requests run in one transaction, so they see the same snapshot
        // and their results line up index by index.
        const [keys, values] = await Promise.all([
          settle(store.getAllKeys(range, limit)),
          settle(store.getAll(range, limit)),
        ]);
        return keys.map((key, i) => /** @type {[string, Uint8Array]} */ ([String(key), toBytes(values[i])]));
      });
    },

    async write(batch) {
      validateBatch(batch);
      if (batch.length === 0) return;
      const { store, shared } = await storeFor("readwrite");
      const tx = store.transaction;
      const done = shared ? /** @type {Promise<void>} */ (section?.done) : committed(tx);
      try {
        for (const [key, value] of batch) {
          // put() clones synchronously; copying first stores only the view's
          // bytes, not the whole buffer a subarray may sit in.
          if (value === null) store.delete(key);
          else store.put(new Uint8Array(value), key);
        }
      } catch (err) {
        if (shared && isInactive(err)) {
          // The shared transaction committed before this write: write alone.
          section = null;
          return this.write(batch);
        }
        tx.abort();
        throw err;
      }
      // Resolve only on complete: a request's success is not yet durable, and
      // any error aborts the whole transaction, leaving nothing behind.
      if (shared) section = null; // the write ends the operation's transaction
      await done;
    },

    exclusive,
    notify: wake.notify,
    subscribe: wake.subscribe,

    async close() {
      wake.close();
      const pending = opening;
      opening = null;
      // A database that never opened has nothing to close.
      if (pending) (await pending.catch(() => null))?.close();
    },
  };
}

/**
 * Deletes the IndexedDB database `name` (the demo's "clear database").
 * Open connections in other tabs close themselves (see onversionchange) and
 * reopen an empty database on their next call.
 *
 * @param {string} name
 * @param {{ idb?: IDBFactory }} [options]
 * @returns {Promise<void>}
 */
export async function deleteIndexedDb(name, { idb = globalThis.indexedDB } = {}) {
  await settle(idb.deleteDatabase(name));
}
