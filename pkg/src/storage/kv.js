/**
 * Cloudflare Workers KV storage.
 *
 * WARNING: Workers KV is eventually consistent (a write can take a minute or
 * more to be seen in other locations, and list results lag behind writes) and
 * it is not transactional (a batch is many independent puts and deletes, so a
 * failure part way leaves some applied and some not). That breaks the storage
 * contract's atomic `write`. It is therefore safe only for immutable data,
 * such as message blobs written once under a unique key, or for a single
 * writer that tolerates stale reads. For queues, prefer durableObjectStorage.
 *
 * @module
 */

import { validateBatch } from "./memory.js";

/**
 * Adapts a Workers KV namespace binding to the storage contract.
 *
 * @param {any} namespace a KVNamespace binding
 * @param {{ prefix?: string }} [options] `prefix` is prepended to every key, so
 *   several stores can share one namespace without seeing each other's keys
 * @returns {{
 *   get(key: string): Promise<Uint8Array | undefined>,
 *   list(o: { prefix: string, start?: string, limit?: number }): Promise<[string, Uint8Array][]>,
 *   write(batch: [string, Uint8Array | null][]): Promise<void>,
 * }}
 */
export function kvStorage(namespace, { prefix: root = "" } = {}) {
  /**
   * Reads one value by its full (rooted) key.
   * @param {string} fullKey
   * @returns {Promise<Uint8Array | undefined>}
   */
  async function read(fullKey) {
    /** @type {ArrayBuffer | null} */
    const buffer = await namespace.get(fullKey, "arrayBuffer");
    return buffer === null ? undefined : new Uint8Array(buffer);
  }

  return {
    get(key) {
      return read(root + key);
    },

    async list({ prefix, start, limit }) {
      if (typeof prefix !== "string") throw new TypeError("list: prefix must be a string");
      const max = limit ?? Infinity;
      /** @type {[string, Uint8Array][]} */
      const out = [];
      let cursor;
      // KV list has no "start" option, so page from the prefix and skip keys
      // below start; KV returns names in ascending byte order.
      while (out.length < max) {
        const page = await namespace.list({ prefix: root + prefix, ...(cursor ? { cursor } : {}) });
        const wanted = page.keys
          .map((/** @type {{ name: string }} */ k) => k.name.slice(root.length))
          .filter((/** @type {string} */ key) => start === undefined || key >= start)
          .slice(0, max - out.length);
        const values = await Promise.all(wanted.map((/** @type {string} */ key) => read(root + key)));
        wanted.forEach((/** @type {string} */ key, /** @type {number} */ i) => {
          // A key listed but already gone (list lags behind deletes) is skipped.
          if (values[i] !== undefined && out.length < max) out.push([key, values[i]]);
        });
        if (page.list_complete) break;
        cursor = page.cursor;
      }
      return out;
    },

    async write(batch) {
      validateBatch(batch);
      // Collapse first: parallel requests for one key would race, and the
      // contract says the last entry for a key wins.
      /** @type {Map<string, Uint8Array | null>} */
      const last = new Map(batch);
      // NOT atomic: if one request fails, the others may already have landed.
      await Promise.all(
        [...last].map(([key, value]) =>
          value === null ? namespace.delete(root + key) : namespace.put(root + key, new Uint8Array(value)),
        ),
      );
    },
  };
}
