/**
 * In-memory storage: the "start here" example of the storage contract.
 *
 * The queue core needs three operations (get, list, write); a fourth,
 * `exclusive`, is optional, for stores shared across instances. This file
 * implements them in the plainest way possible so it can be read as the
 * specification of what every backend must do:
 *
 * - keys are ASCII strings, ordered bytewise (for ASCII that is JS `<`);
 * - values are Uint8Array, never shared with the caller;
 * - `write` is all or nothing: the whole batch is checked before anything
 *   changes, so a bad batch leaves the store exactly as it was.
 *
 * It has no `exclusive`: a memory store lives in one JS realm, and the core
 * already serialises its own calls within one instance.
 *
 * Plain, not fast: a new key is spliced into a sorted array (O(n)), so past a
 * few thousand messages it is an order of magnitude slower than the Server's
 * default built-in store (see benches/README.md). Use it to learn the contract
 * or as a starting point, and the default store when speed matters.
 *
 * @module
 */

/** ASCII only, so that JS string order equals bytewise order. */
const ASCII = /^[\x00-\x7f]*$/;

/**
 * True when `value` is a Uint8Array, also one made in another realm
 * (a worker, an iframe, a vm context) where `instanceof` would say no.
 * @param {unknown} value
 * @returns {value is Uint8Array}
 */
export function isBytes(value) {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === "[object Uint8Array]";
}

/**
 * Checks a whole write batch and throws a TypeError on the first bad entry.
 * Backends call this before touching their store so that a bad batch can
 * never be half applied.
 * @param {unknown} batch expected `[key: string, value: Uint8Array | null][]`
 * @returns {asserts batch is [string, Uint8Array | null][]}
 */
export function validateBatch(batch) {
  if (!Array.isArray(batch)) throw new TypeError("write batch must be an array");
  batch.forEach((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw new TypeError(`write batch entry ${i} must be a [key, value] pair`);
    }
    const [key, value] = entry;
    if (typeof key !== "string" || !ASCII.test(key)) {
      throw new TypeError(`write batch entry ${i}: key must be an ASCII string`);
    }
    if (value !== null && !isBytes(value)) {
      throw new TypeError(`write batch entry ${i} (${key}): value must be a Uint8Array or null`);
    }
  });
}

/**
 * Index of the first key in the sorted array `keys` that is >= `key`.
 * @param {string[]} keys
 * @param {string} key
 * @returns {number}
 */
function lowerBound(keys, key) {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Creates an empty in-memory store. Its methods are synchronous, which the
 * contract allows (the core awaits whatever it gets back).
 * @returns {{
 *   get(key: string): Uint8Array | undefined,
 *   list(o: { prefix: string, start?: string, limit?: number }): [string, Uint8Array][],
 *   write(batch: [string, Uint8Array | null][]): void,
 * }}
 */
export function memoryStorage() {
  /** @type {Map<string, Uint8Array>} */
  const values = new Map();
  /** Every key of `values`, kept sorted so list is a binary search plus a scan. */
  /** @type {string[]} */
  const keys = [];

  return {
    get(key) {
      const value = values.get(key);
      // Copy out: the caller may mutate what it gets.
      return value === undefined ? undefined : new Uint8Array(value);
    },

    list({ prefix, start, limit } = /** @type {any} */ ({})) {
      if (typeof prefix !== "string") throw new TypeError("list: prefix must be a string");
      const from = start !== undefined && start > prefix ? start : prefix;
      const max = limit ?? Infinity;
      /** @type {[string, Uint8Array][]} */
      const out = [];
      for (let i = lowerBound(keys, from); i < keys.length && out.length < max; i++) {
        // Keys with the prefix are contiguous in sorted order: stop at the first that lacks it.
        if (!keys[i].startsWith(prefix)) break;
        out.push([keys[i], new Uint8Array(/** @type {Uint8Array} */ (values.get(keys[i])))]);
      }
      return out;
    },

    write(batch) {
      validateBatch(batch);
      // Nothing below can throw, so the batch applies completely.
      for (const [key, value] of batch) {
        const i = lowerBound(keys, key);
        const present = keys[i] === key;
        if (value === null) {
          if (present) keys.splice(i, 1);
          values.delete(key);
        } else {
          if (!present) keys.splice(i, 0, key);
          // Copy in: `new Uint8Array(view)` copies just the view's bytes, even for a
          // Node Buffer whose own slice() would share memory.
          values.set(key, new Uint8Array(value));
        }
      }
    },
  };
}
