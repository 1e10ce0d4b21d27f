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

const STORE = "kv";

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
 * @param {string} [name] database name; also names the cross-tab lock
 * @param {{ idb?: IDBFactory, locks?: LockManager | null }} [options]
 *   `idb` and `locks` default to the page's; pass others to test or to use a worker's
 * @returns {{
 *   get(key: string): Promise<Uint8Array | undefined>,
 *   list(o: { prefix: string, start?: string, limit?: number }): Promise<[string, Uint8Array][]>,
 *   write(batch: [string, Uint8Array | null][]): Promise<void>,
 *   exclusive<T>(fn: () => Promise<T>): Promise<T>,
 *   close(): Promise<void>,
 * }}
 */
export function indexedDbStorage(
  name = "pandora-mq",
  { idb = globalThis.indexedDB, locks = globalThis.navigator?.locks } = {},
) {
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

  /**
   * Runs `body` with the `kv` object store in a new transaction.
   * @template T
   * @param {IDBTransactionMode} mode
   * @param {(store: IDBObjectStore) => Promise<T>} body
   * @returns {Promise<T>}
   */
  async function withStore(mode, body) {
    const db = await open();
    return body(db.transaction(STORE, mode).objectStore(STORE));
  }

  const exclusive = locks
    ? /** @type {<T>(fn: () => Promise<T>) => Promise<T>} */ (fn) =>
        locks.request(`pandora-mq:${name}`, () => fn())
    : pageMutex();

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
      const db = await open();
      await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, "readwrite");
        // Resolve only on complete: a request's success is not yet durable, and
        // any error aborts the whole transaction, leaving nothing behind.
        tx.oncomplete = () => resolve(undefined);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
        const store = tx.objectStore(STORE);
        try {
          for (const [key, value] of batch) {
            // put() clones synchronously; copying first stores only the view's
            // bytes, not the whole buffer a subarray may sit in.
            if (value === null) store.delete(key);
            else store.put(new Uint8Array(value), key);
          }
        } catch (err) {
          tx.abort();
          reject(err);
        }
      });
    },

    exclusive,

    async close() {
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
