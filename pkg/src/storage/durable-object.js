/**
 * Cloudflare Durable Object storage (`ctx.storage`), the recommended home for
 * a queue on Workers: strongly consistent, ordered, and transactional.
 *
 * There is no `exclusive`: a Durable Object is a single instance that runs one
 * event at a time and its input/output gates stop other requests from
 * interleaving with a storage operation, so there is nobody to exclude.
 *
 * On a SQLite-backed object (the default for new classes) every call goes
 * through the synchronous API (`ctx.storage.kv`, `transactionSync`): the same
 * reads and writes, but no Promise per call, so an operation of the wasm core
 * finishes in one synchronous run instead of resuming once per storage call.
 * Its writes are still held back by the output gate until they are durable.
 * The older key-value backend has only the asynchronous API, used as before.
 *
 * @module
 */

import { isBytes, validateBatch } from "./memory.js";

/** Cloudflare's limit on keys per put(object) or delete(array) call. */
const MAX_KEYS_PER_CALL = 128;

/**
 * Splits `items` into arrays of at most `size` elements.
 * @template T
 * @param {T[]} items
 * @param {number} size
 * @returns {T[][]}
 */
function chunks(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Copies a stored value out as a Uint8Array, so a caller that mutates it can
 * never reach a value the storage layer may still be caching.
 * @param {unknown} value
 * @returns {Uint8Array}
 */
function toBytes(value) {
  if (value instanceof ArrayBuffer || isBytes(value)) return new Uint8Array(/** @type {ArrayBuffer} */ (value));
  throw new TypeError("durable object storage holds a value that is not bytes");
}

/**
 * Adapts a Durable Object's `ctx.storage` to the storage contract. Results
 * come as they are on a SQLite-backed object, as Promises on a key-value one.
 *
 * @param {any} storage a DurableObjectStorage (KV or SQLite backed)
 * @returns {{
 *   soleWriter: true,
 *   get(key: string): Uint8Array | undefined | Promise<Uint8Array | undefined>,
 *   list(o: { prefix: string, start?: string, limit?: number }): [string, Uint8Array][] | Promise<[string, Uint8Array][]>,
 *   write(batch: [string, Uint8Array | null][]): void | Promise<void>,
 * }}
 */
export function durableObjectStorage(storage) {
  return hasSyncApi(storage) ? syncStorage(storage) : asyncStorage(storage);
}

/**
 * Whether `storage` is SQLite-backed, the only backend whose `kv` works. A
 * key-value-backed object has a `kv` too, whose every call throws; there,
 * reading `sql.databaseSize` throws as well, which asks no row of storage.
 */
function hasSyncApi(storage) {
  if (typeof storage.kv?.get !== "function" || typeof storage.transactionSync !== "function") return false;
  try {
    return typeof storage.sql.databaseSize === "number";
  } catch {
    return false;
  }
}

/** `list`'s options as the runtime takes them: only the fields we have, since it validates each one given. */
function listOptions({ prefix, start, limit }) {
  if (typeof prefix !== "string") throw new TypeError("list: prefix must be a string");
  /** @type {{ prefix: string, start?: string, limit?: number }} */
  const options = { prefix };
  if (start !== undefined) options.start = start;
  if (limit !== undefined) options.limit = limit;
  return options;
}

/**
 * A SQLite-backed object's storage through its synchronous API: each method
 * returns its result, not a Promise, and throws what the runtime throws.
 * @param {any} storage
 */
function syncStorage(storage) {
  const kv = storage.kv;
  return {
    soleWriter: true,

    get(key) {
      const value = kv.get(key);
      return value === undefined ? undefined : toBytes(value);
    },

    list(range) {
      const options = listOptions(range);
      if (options.limit === 0) return [];
      const out = [];
      for (const [key, value] of kv.list(options)) out.push([key, toBytes(value)]);
      return out;
    },

    write(batch) {
      validateBatch(batch);
      // One transaction: all of the batch or none of it. Applied in batch
      // order, so the last entry for a key wins, as the contract says.
      storage.transactionSync(() => {
        for (const [key, value] of batch) {
          if (value === null) kv.delete(key);
          else kv.put(key, value);
        }
      });
    },
  };
}

/**
 * The asynchronous API, the only one of key-value-backed objects.
 * @param {any} storage
 */
function asyncStorage(storage) {
  return {
    // Only the object itself writes its storage, and it runs one Server over
    // it: that Server may keep what `stats` counts in memory (see Storage.soleWriter).
    soleWriter: true,

    async get(key) {
      const value = await storage.get(key);
      return value === undefined ? undefined : toBytes(value);
    },

    async list(range) {
      const options = listOptions(range);
      if (options.limit === 0) return [];
      /** @type {Map<string, unknown>} */
      const found = await storage.list(options);
      return [...found].map(([key, value]) => [key, toBytes(value)]);
    },

    async write(batch) {
      validateBatch(batch);
      // Collapse the batch so the last entry for a key wins, as the contract says;
      // put(object) and delete(array) alone would not keep batch order.
      /** @type {Map<string, Uint8Array | null>} */
      const last = new Map();
      for (const [key, value] of batch) {
        last.delete(key); // keep insertion order = order of the winning entry
        last.set(key, value === null ? null : new Uint8Array(value));
      }
      const puts = [...last].filter(([, v]) => v !== null);
      const deletes = [...last].filter(([, v]) => v === null).map(([k]) => k);

      // One call is atomic on its own, but only up to 128 keys and only for one
      // kind of change; anything else goes through a transaction.
      if (deletes.length === 0 && puts.length <= MAX_KEYS_PER_CALL) {
        if (puts.length > 0) await storage.put(Object.fromEntries(puts));
      } else if (puts.length === 0 && deletes.length <= MAX_KEYS_PER_CALL) {
        await storage.delete(deletes);
      } else {
        await storage.transaction(async (/** @type {any} */ txn) => {
          // Object.fromEntries defines own properties, so a key like "__proto__" is stored, not swallowed.
          for (const part of chunks(puts, MAX_KEYS_PER_CALL)) await txn.put(Object.fromEntries(part));
          for (const part of chunks(deletes, MAX_KEYS_PER_CALL)) await txn.delete(part);
        });
      }
    },
  };
}
