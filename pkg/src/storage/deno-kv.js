/**
 * Deno KV storage (`await Deno.openKv(path)`): ordered keys, atomic writes.
 *
 * Each contract key is one string part under a namespace part, `[ns, key]`;
 * Deno KV orders string parts by their UTF-8 bytes, so ranges come back in
 * the contract's bytewise order. A `write` is one `kv.atomic()` commit: all
 * or nothing. Deno KV caps one atomic commit (`DENO_KV_LIMITS`); a write
 * beyond a cap is refused as a whole before anything is sent, with an error
 * naming the cap, and nothing of it is written. The storage declares the
 * caps (`writeLimit`), so the Server splits its bulk operations (`purge`,
 * `redrive`, `reenqueue`) into commits that fit; what one message needs
 * fits unless the Server's `maxSize` or a mailbox name is near a cap.
 *
 * `exclusive` is one queue per `Deno.Kv`, shared by every denoKvStorage on
 * it, so the queue core's reads and write are never interleaved in this
 * process. It cannot reach another process, nor another `Deno.Kv` opened on
 * the same file: use one of each per KV file, or sqliteStorage or
 * postgresStorage to share a queue between processes.
 *
 * @module
 */

import { validateBatch } from "./memory.js";

/**
 * What Deno KV accepts in one atomic commit (Deno 1.x and 2.x): keys and
 * values are sized as Deno encodes them (a string key part is its UTF-8
 * bytes plus 2, a NUL counting twice; a Uint8Array value its length).
 */
export const DENO_KV_LIMITS = Object.freeze({
  mutations: 1000,
  keyBytes: 2048,
  valueBytes: 65_536,
  totalKeyBytes: 81_920,
  totalBytes: 819_200,
});

/** Above every ASCII key. */
const PAST_ASCII = "\u0080";

/** The one operation queue of each Deno.Kv, whichever storage over it asks. */
const queues = new WeakMap();

/**
 * The size Deno KV gives a string key part.
 * @param {string} part
 */
function partSize(part) {
  const bytes = new TextEncoder().encode(part);
  return bytes.reduce((n, b) => n + (b === 0 ? 2 : 1), 2);
}

/**
 * Refuses, before anything is sent, a commit Deno KV would refuse.
 * @param {Map<string, Uint8Array | null>} last the batch, one entry per key
 * @param {number} overhead what the namespace part adds to each key
 */
function checkLimits(last, overhead) {
  const L = DENO_KV_LIMITS;
  const refuse = (/** @type {string} */ why) => {
    throw new RangeError(`denoKvStorage: ${why}; nothing was written`);
  };
  if (last.size > L.mutations) refuse(`a batch of ${last.size} keys exceeds Deno KV's ${L.mutations} mutations per atomic write`);
  let keyBytes = 0;
  let bytes = 0;
  for (const [key, value] of last) {
    const size = overhead + key.length; // keys are ASCII: a byte each
    if (size > L.keyBytes) refuse(`a key of ${size} bytes exceeds Deno KV's ${L.keyBytes} per key (a mailbox name that long)`);
    if (value !== null && value.length > L.valueBytes) {
      refuse(`a value of ${value.length} bytes exceeds Deno KV's ${L.valueBytes} per value (a message that big: keep the Server's maxSize below it)`);
    }
    keyBytes += size;
    bytes += size + (value?.length ?? 0);
  }
  if (keyBytes > L.totalKeyBytes) refuse(`the keys of one write add up to ${keyBytes} bytes, over Deno KV's ${L.totalKeyBytes} per atomic write (long mailbox names: fewer messages per batch)`);
  if (bytes > L.totalBytes) refuse(`one write adds up to ${bytes} bytes, over Deno KV's ${L.totalBytes} per atomic write (fewer or smaller messages per batch)`);
}

/**
 * @param {any} kv a `Deno.Kv`
 * @param {{ namespace?: string }} [options] first key part, so several queues can share one KV (default "pandora")
 */
export function denoKvStorage(kv, { namespace = "pandora" } = {}) {
  if (typeof kv?.atomic !== "function" || typeof kv?.list !== "function") throw new TypeError("denoKvStorage needs a Deno.Kv (await Deno.openKv())");
  if (!queues.has(kv)) queues.set(kv, { tail: Promise.resolve() });
  /** @type {{ tail: Promise<unknown> }} */
  const queue = queues.get(kv);
  // What the namespace part adds to each key's size.
  const overhead = partSize(namespace) + 2;

  return {
    writeLimit: {
      keys: DENO_KV_LIMITS.mutations,
      keyBytes: DENO_KV_LIMITS.totalKeyBytes,
      bytes: DENO_KV_LIMITS.totalBytes,
      keyOverhead: overhead,
    },

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
      checkLimits(last, overhead);
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
      const run = queue.tail.then(() => fn());
      queue.tail = run.catch(() => {});
      return run;
    },

    close() {
      return queue.tail.then(() => kv.close());
    },
  };
}
