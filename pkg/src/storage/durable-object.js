/**
 * Cloudflare Durable Object storage (`ctx.storage`), the recommended home for
 * a queue on Workers: strongly consistent, ordered, and transactional.
 *
 * There is no `exclusive`: a Durable Object is a single instance that runs one
 * event at a time and its input/output gates stop other requests from
 * interleaving with a storage operation, so there is nobody to exclude.
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
 * Adapts a Durable Object's `ctx.storage` to the storage contract.
 *
 * @param {any} storage a DurableObjectStorage (KV or SQLite backed)
 * @returns {{
 *   soleWriter: true,
 *   get(key: string): Promise<Uint8Array | undefined>,
 *   list(o: { prefix: string, start?: string, limit?: number }): Promise<[string, Uint8Array][]>,
 *   write(batch: [string, Uint8Array | null][]): Promise<void>,
 * }}
 */
export function durableObjectStorage(storage) {
  return {
    // Only the object itself writes its storage, and it runs one Server over
    // it: that Server may keep what `stats` counts in memory (see Storage.soleWriter).
    soleWriter: true,

    async get(key) {
      const value = await storage.get(key);
      return value === undefined ? undefined : toBytes(value);
    },

    async list({ prefix, start, limit }) {
      if (typeof prefix !== "string") throw new TypeError("list: prefix must be a string");
      if (limit === 0) return [];
      // Pass only the options we have: the runtime validates each field it is given.
      /** @type {{ prefix: string, start?: string, limit?: number }} */
      const options = { prefix };
      if (start !== undefined) options.start = start;
      if (limit !== undefined) options.limit = limit;
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
