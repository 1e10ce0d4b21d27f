/**
 * Storage helpers for the Node tests: snapshots of a store's whole contents,
 * and wrappers that change how callbacks answer without changing what they do.
 *
 * @module
 */

/**
 * Everything in `storage` (list with prefix ""), as comparable [key, bytes[]] pairs.
 * @param {{ list: Function }} storage
 * @returns {Promise<[string, number[]][]>}
 */
export async function snapshot(storage) {
  const entries = await storage.list({ prefix: "" });
  return entries.map(([key, value]) => [key, Array.from(value)]);
}

/** Resolves after the current macrotask turn: lets other pending work run. Not a sleep. */
export const yieldTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The same store, but every callback answers with a Promise that settles only
 * after a macrotask turn, so concurrent operations really get the chance to interleave.
 * @param {{ get: Function, list: Function, write: Function }} inner
 */
export function promiseStorage(inner) {
  const later = async (/** @type {() => any} */ fn) => {
    await yieldTurn();
    return fn();
  };
  return {
    get: (/** @type {string} */ key) => later(() => inner.get(key)),
    list: (/** @type {any} */ o) => later(() => inner.list(o)),
    write: (/** @type {any} */ batch) => later(() => inner.write(batch)),
  };
}
