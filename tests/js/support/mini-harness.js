/**
 * A minimal stand-in for node:test and node:assert/strict, for running the
 * shared suites where node:test does not exist: a Chromium page and a Durable
 * Object inside workerd. Tests are collected, then `run()` executes them one
 * after another and returns plain, JSON-safe results for Node to report.
 *
 * No imports and no Node APIs, so any JS runtime can load it.
 *
 * @module
 */

/** @param {unknown} v */
function show(v) {
  if (typeof v === "string") return JSON.stringify(v);
  try {
    return JSON.stringify(v, (_, x) => (x instanceof Uint8Array ? `Uint8Array[${Array.from(x).join(",")}]` : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Strict deep equality: same prototype, same own enumerable keys, Object.is on leaves.
 * @param {any} a
 * @param {any} b
 * @returns {boolean}
 */
function equal(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
}

/** @param {string} message */
function fail(message) {
  const err = new Error(message);
  err.name = "AssertionError";
  throw err;
}

/** The subset of node:assert/strict the shared suites use, with the same meaning. */
export const assert = {
  /** @param {unknown} actual @param {unknown} expected @param {string} [message] */
  strictEqual(actual, expected, message) {
    if (!Object.is(actual, expected)) fail(`${message ? `${message}: ` : ""}expected ${show(expected)}, got ${show(actual)}`);
  },
  /** @param {unknown} actual @param {unknown} expected @param {string} [message] */
  notStrictEqual(actual, expected, message) {
    if (Object.is(actual, expected)) fail(`${message ? `${message}: ` : ""}expected anything but ${show(expected)}`);
  },
  /** @param {unknown} actual @param {unknown} expected @param {string} [message] */
  deepStrictEqual(actual, expected, message) {
    if (!equal(actual, expected)) fail(`${message ? `${message}: ` : ""}expected ${show(expected)}, got ${show(actual)}`);
  },
  /** @param {unknown} value @param {string} [message] */
  ok(value, message) {
    if (!value) fail(message ?? `expected a truthy value, got ${show(value)}`);
  },
  /** @param {string} text @param {RegExp} re @param {string} [message] */
  match(text, re, message) {
    if (typeof text !== "string" || !re.test(text)) fail(message ?? `${show(text)} does not match ${re}`);
  },
  /** @param {string} [message] */
  fail(message) {
    fail(message ?? "failed");
  },
  /**
   * Like node's assert.rejects: `expected` may be a RegExp (tested against
   * String(err)), an object whose properties must equal the error's, or a
   * validation function returning true.
   * @param {Promise<unknown> | (() => unknown)} what
   * @param {RegExp | Record<string, unknown> | ((err: any) => boolean)} [expected]
   * @param {string} [message]
   */
  async rejects(what, expected, message) {
    let error;
    let threw = false;
    try {
      await (typeof what === "function" ? what() : what);
    } catch (err) {
      threw = true;
      error = /** @type {any} */ (err);
    }
    if (!threw) fail(message ?? "expected a rejection, but it resolved");
    if (expected instanceof RegExp) {
      if (!expected.test(String(error))) fail(`rejection ${String(error)} does not match ${expected}`);
    } else if (typeof expected === "function") {
      if (expected(error) !== true) fail(`rejection ${String(error)} failed validation`);
    } else if (expected && typeof expected === "object") {
      for (const [key, value] of Object.entries(expected)) {
        if (!equal(error?.[key], value)) fail(`rejection ${String(error)}: ${key} is ${show(error?.[key])}, expected ${show(value)}`);
      }
    }
  },
};

/**
 * A fresh registry: `test(name, fn)` collects, `run()` executes in order.
 * Each `fn` gets a context with `skip(why)`, like node:test's, so a suite that
 * skips (storage-contract.js without `exclusive`) is reported as skipped
 * rather than as a silent pass.
 * @returns {{
 *   test: (name: string, fn: (t: { skip: (why?: string) => void }) => Promise<void> | void) => void,
 *   assert: typeof assert,
 *   run: () => Promise<{ name: string, ok: boolean, skipped: string | null, error: string | null }[]>,
 * }}
 */
export function miniHarness() {
  /** @type {{ name: string, fn: (t: { skip: (why?: string) => void }) => Promise<void> | void }[]} */
  const tests = [];
  return {
    test: (name, fn) => {
      tests.push({ name, fn });
    },
    assert,
    async run() {
      const results = [];
      for (const { name, fn } of tests) {
        /** @type {string | null} */
        let skipped = null;
        try {
          await fn({ skip: (why) => void (skipped = why ?? "skipped") });
          results.push({ name, ok: true, skipped, error: null });
        } catch (err) {
          const e = /** @type {any} */ (err);
          results.push({ name, ok: false, skipped: null, error: String(e?.stack ?? e) });
        }
      }
      return results;
    },
  };
}
