/**
 * Reports results collected by mini-harness.js in another runtime (Chromium,
 * workerd) as node:test subtests, so each shows up by name in the Node run.
 *
 * @module
 */
import assert from "node:assert/strict";

/**
 * @param {import("node:test").TestContext} t
 * @param {{ name: string, ok: boolean, skipped?: string | null, error: string | null }[]} results
 * @param {{ atLeast: number, where: string, todo?: Record<string, string> }} options
 *   `atLeast` guards against a suite that silently registered nothing;
 *   `todo` maps a test name to why it fails (a known package bug): it is
 *   reported as a node:test todo instead of failing the run
 */
export async function reportResults(t, results, { atLeast, where, todo = {} }) {
  assert.ok(Array.isArray(results), `no results came back from ${where}`);
  assert.ok(results.length >= atLeast, `only ${results.length} tests ran in ${where}, expected at least ${atLeast}`);
  for (const r of results) {
    const reason = Object.hasOwn(todo, r.name) ? todo[r.name] : undefined;
    await t.test(r.name, reason ? { todo: reason } : {}, (st) => {
      if (r.skipped) st.skip(r.skipped);
      else if (!r.ok) throw new Error(`failed in ${where}: ${r.name}\n${r.error}`);
    });
  }
  const failed = results.filter((r) => !r.ok && !Object.hasOwn(todo, r.name)).map((r) => r.name);
  assert.deepStrictEqual(failed, [], `failed in ${where}: ${failed.join(", ")}`);
  // A todo for a test that now passes, or that no longer exists, would hide
  // the next regression of that test: the entry must be removed.
  const stale = Object.keys(todo).filter((name) => !results.some((r) => r.name === name && !r.ok));
  assert.deepStrictEqual(stale, [], `todo entries that no longer fail in ${where}: ${stale.join(", ")}`);
}
