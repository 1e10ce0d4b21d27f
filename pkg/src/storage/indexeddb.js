/**
 * Browser storage on IndexedDB: one database per queue, one object store `kv`
 * with out-of-line string keys and Uint8Array values.
 *
 * IndexedDB compares string keys by UTF-16 code unit, which for the ASCII
 * keys of the contract is the same as bytewise order, so `list` can be a
 * plain key range. Each `write` is one readwrite transaction, which IndexedDB
 * commits completely or not at all.
 *
 * What a queue operation costs here is round trips to the browser process,
 * where IndexedDB and Web Locks live, more than work: so `exclusive` keeps
 * its Web Lock across a burst of operations (held-lock.js), each operation's
 * reads and write share one transaction, and rows read or written under the
 * held lock answer later reads of the same hold (known-rows.js).
 *
 * @module
 */

import { heldLock } from "./held-lock.js";
import { knownRows } from "./known-rows.js";
import { validateBatch } from "./memory.js";
import { wakeChannel } from "./wake-channel.js";

const STORE = "kv";
/**
 * A list inside a held lock reads at least this many rows, so the next few
 * lists of a walk (the send's sweep pages through the records) are answered
 * from what it learnt. Rows are a record or an index entry: small.
 */
const READ_AHEAD = 16;

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
 * The rows of `range`, ascending, at most `count`: one getAllRecords request
 * where the engine has it (Chromium 141+), else getAllKeys and getAll side by
 * side, which run in one transaction, see the same snapshot and line up
 * index by index.
 * @param {IDBObjectStore} store
 * @param {IDBKeyRange} range
 * @param {number | undefined} count
 * @returns {Promise<[string, Uint8Array][]>}
 */
async function readRange(store, range, count) {
  const s = /** @type {any} */ (store);
  if (typeof s.getAllRecords === "function") {
    /** @type {{ key: IDBValidKey, value: unknown }[]} */
    const records = await settle(s.getAllRecords({ query: range, count }));
    return records.map((r) => [String(r.key), toBytes(r.value)]);
  }
  const [keys, values] = await Promise.all([settle(store.getAllKeys(range, count)), settle(store.getAll(range, count))]);
  return keys.map((key, i) => [String(key), toBytes(values[i])]);
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
          known.clear(); // the database is about to be deleted or changed
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

  // What this storage read and wrote under its held Web Lock (see
  // known-rows.js): valid while the lock stays held, forgotten when it goes.
  // Only with Web Locks: the page-only mutex cannot keep other tabs out.
  const known = knownRows();
  let insideSection = false;
  /** The known rows when the current call may use them: inside a section, under the Web Lock. */
  const knownHere = () => (insideSection && locks ? known.noter() : null);

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

  const lock = locks ? heldLock(locks, `pandora-mq:${name}`, { released: known.clear }) : pageMutex();

  /** @type {<T>(fn: () => Promise<T>) => Promise<T>} */
  const exclusive = (fn) =>
    lock(async () => {
      const mine = { tx: null, done: null };
      section = mine;
      insideSection = true;
      try {
        return await fn();
      } finally {
        insideSection = false;
        if (section === mine) section = null;
      }
    });

  return {
    get(key) {
      const rows = knownHere();
      const hit = rows?.get(key);
      if (hit) return Promise.resolve(hit.value);
      return withStore("readonly", async (store) => {
        const stored = await settle(store.get(key));
        const value = stored === undefined ? undefined : toBytes(stored);
        rows?.noteGet(key, value);
        return value;
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
      const rows = knownHere();
      const hit = rows?.list(lower, upper, limit);
      if (hit) return Promise.resolve(hit);
      const count = rows && limit !== undefined ? Math.max(limit, READ_AHEAD) : limit;
      return withStore("readonly", async (store) => {
        const entries = await readRange(store, range, count);
        rows?.noteList(lower, upper, count, entries);
        return limit === undefined || entries.length <= limit ? entries : entries.slice(0, limit);
      });
    },

    // A hint from the core (`Storage::prefetch`: a fetch names the record the
    // next fetch will read): issued now in this operation's transaction, its
    // answer joins the known rows, so the next fetch of the hold skips a
    // round trip. It returns nothing and never fails the operation.
    prefetch(key) {
      const rows = knownHere();
      if (!rows || rows.get(key)) return;
      storeFor("readwrite").then(function prefetchRead({ store }) {
        const request = store.get(key);
        request.onsuccess = () => rows.noteGet(key, request.result === undefined ? undefined : toBytes(request.result));
        // A failed hint must not abort the operation's transaction.
        request.onerror = (event) => event.preventDefault();
      }).catch(() => {}); // the transaction already committed: nothing to do
    },

    async write(batch) {
      validateBatch(batch);
      if (batch.length === 0) return;
      const noting = knownHere();
      // A write outside a section may race anything: forget rather than guess.
      if (!noting) known.clear();
      const { store, shared } = await storeFor("readwrite");
      const tx = store.transaction;
      const done = shared ? /** @type {Promise<void>} */ (section?.done) : committed(tx);
      /** @type {[string, Uint8Array | null][]} the batch as written, for the known rows */
      const written = [];
      try {
        for (const [key, value] of batch) {
          // put() clones synchronously; copying first stores only the view's
          // bytes, not the whole buffer a subarray may sit in.
          const copy = value === null ? null : new Uint8Array(value);
          if (copy === null) store.delete(key);
          else store.put(copy, key);
          written.push([key, copy]);
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
      // Commit now rather than when every request's success has come back to
      // this page: one round trip less before the write is durable.
      tx.commit?.();
      try {
        await done;
      } catch (err) {
        known.clear(); // aborted: nothing landed, but forget rather than reason about it
        throw err;
      } finally {
        // Outside a section, also forget what a section read while this write was on its way.
        if (!noting) known.clear();
      }
      noting?.noteWrite(written);
    },

    exclusive,
    notify: wake.notify,
    subscribe: wake.subscribe,

    async close() {
      wake.close();
      known.clear();
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
