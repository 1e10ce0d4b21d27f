/**
 * Fault injection for tests: wraps any storage and makes exactly one chosen
 * call fail, so tests can prove the queue survives a storage error at every
 * step of an operation (fail at call 1, then 2, then 3, ...).
 *
 * There is deliberately no "apply half a write, then fail" mode: the storage
 * contract says writes are atomic, so a torn write is not a fault a correct
 * backend can produce and the core does not have to survive it.
 *
 * @module
 */

/**
 * Wraps `inner` so that the call numbered `failAt` (get, list and write share
 * one counter starting at 1) rejects with `Error("injected fault at call N")`
 * without reaching `inner`. Every other call is passed through unchanged.
 * `exclusive`, when `inner` has it, is passed through and not counted: it is
 * locking, not storage I/O.
 *
 * @param {{ get: Function, list: Function, write: Function, exclusive?: Function }} inner
 * @param {{ failAt?: number }} [options] `failAt` defaults to Infinity (never fail)
 * @returns {{
 *   get(key: string): Promise<Uint8Array | undefined>,
 *   list(o: { prefix: string, start?: string, limit?: number }): Promise<[string, Uint8Array][]>,
 *   write(batch: [string, Uint8Array | null][]): Promise<void>,
 *   exclusive?<T>(fn: () => Promise<T>): Promise<T>,
 *   readonly calls: number,
 *   failAt: number,
 * }}
 */
export function faultyStorage(inner, { failAt = Infinity } = {}) {
  let calls = 0;

  /**
   * Counts one call and either fails it or forwards it to `inner[method]`.
   * @param {"get" | "list" | "write"} method
   * @param {unknown} arg
   */
  async function call(method, arg) {
    calls += 1;
    if (calls === wrapper.failAt) throw new Error(`injected fault at call ${calls}`);
    return inner[method](arg);
  }

  const wrapper = {
    failAt,
    get calls() {
      return calls;
    },
    get: (/** @type {string} */ key) => call("get", key),
    list: (/** @type {any} */ options) => call("list", options),
    write: (/** @type {any} */ batch) => call("write", batch),
  };

  // Only offer exclusive when the inner store does: the core treats its
  // presence as "other instances may share this store".
  if (typeof inner.exclusive === "function") {
    /** @type {any} */ (wrapper).exclusive = (/** @type {() => Promise<any>} */ fn, /** @type {any[]} */ ...scope) => inner.exclusive?.(fn, ...scope);
    // Per-mailbox locks pass through with the lock they name.
    if (inner.mailboxLocks === true) /** @type {any} */ (wrapper).mailboxLocks = true;
  }
  // A store's caps hold through the wrapper: the Server splits its bulk writes to them.
  if (inner.writeLimit !== undefined) /** @type {any} */ (wrapper).writeLimit = inner.writeLimit;
  return wrapper;
}
