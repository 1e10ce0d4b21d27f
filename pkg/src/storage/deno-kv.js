/**
 * Deno KV storage (`await Deno.openKv(path)`): ordered keys, atomic writes.
 *
 * Each contract key is one string part under a namespace part, `[ns, key]`;
 * Deno KV orders string parts by their UTF-8 bytes, so ranges come back in
 * the contract's bytewise order. A `write` is one `kv.atomic()` commit: all
 * or nothing. Deno KV caps one atomic operation (at the time of writing 1,000
 * mutations and 800 KiB); a larger batch is refused as a whole with a clear
 * error, and nothing of it is written.
 *
 * `exclusive` serialises the operations of this process only: run one
 * process per KV file (the queue core's reads and write are then never
 * interleaved). Use sqliteStorage or postgresStorage to share a queue
 * between processes.
 *
 * @module
 */

import { validateBatch } from "./memory.js";

/** Deno KV's documented limit on mutations in one atomic operation. */
export const DENO_KV_MAX_MUTATIONS = 1000;

/** Above every ASCII key. */
const PAST_ASCII = "\u0080";

/**
 * @param {any} kv a `Deno.Kv`
 * @param {{ namespace?: string }} [options] first key part, so several queues can share one KV (default "pandora")
 */
export function denoKvStorage(kv, { namespace = "pandora" } = {}) {
  if (typeof kv?.atomic !== "function" || typeof kv?.list !== "function") throw new TypeError("denoKvStorage needs a Deno.Kv (await Deno.openKv())");
  /** @type {Promise<unknown>} */
  let tail = Promise.resolve();

  return {
    /** @param {string} key */
    async get(key) {
      const entry = await kv.get([namespace, key]);
      return entry.value === null ? undefined : new Uint8Array(entry.value);
    },

    /** @param {{ prefix: string, start?: string, limit?: number }} o */
    async list({ prefix, start, limit }) {
      if (typeof prefix !== "string") throw new TypeError("list: prefix must be a string");
      if (limit === 0) return [];
      const from = start !== undefined && start > prefix ? start : prefix;
      const end = prefix + PAST_ASCII;
      if (from >= end) return []; // Deno KV refuses a range that ends before it starts
      const out = [];
      const iter = kv.list({ start: [namespace, from], end: [namespace, end] }, limit === undefined ? {} : { limit });
      for await (const entry of iter) out.push([entry.key[1], new Uint8Array(entry.value)]);
      return out;
    },

    /** @param {[string, Uint8Array | null][]} batch */
    async write(batch) {
      validateBatch(batch);
      // One mutation per key: the last entry for a key wins.
      /** @type {Map<string, Uint8Array | null>} */
      const last = new Map();
      for (const [key, value] of batch) last.set(key, value);
      if (last.size > DENO_KV_MAX_MUTATIONS) {
        throw new RangeError(`denoKvStorage: a batch of ${last.size} keys exceeds Deno KV's ${DENO_KV_MAX_MUTATIONS} mutations per atomic write; nothing was written`);
      }
      const op = kv.atomic();
      for (const [key, value] of last) {
        if (value === null) op.delete([namespace, key]);
        else op.set([namespace, key], new Uint8Array(value));
      }
      const result = await op.commit();
      if (!result.ok) throw new Error("denoKvStorage: the atomic write was not committed; nothing was written");
    },

    /**
     * @template T
     * @param {() => Promise<T>} fn
     * @returns {Promise<T>}
     */
    exclusive(fn) {
      const run = tail.then(() => fn());
      tail = run.catch(() => {});
      return run;
    },

    close() {
      return tail.then(() => kv.close());
    },
  };
}
