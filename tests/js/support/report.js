/**
 * Reports results collected by mini-harness.js in another runtime (Chromium,
 * workerd) as node:test subtests, so each shows up by name in the Node run.
 *
 * @module
 */
import assert from "node:assert/strict";

/**
 * @param {import("node:test").TestContext} t
 * @param {{ name: string, ok: boolean, error: string | null }[]} results
 * @param {{ atLeast: number, where: string }} options
 *   `atLeast` guards against a suite that silently registered nothing
 */
export async function reportResults(t, results, { atLeast, where }) {
  assert.ok(Array.isArray(results), `no results came back from ${where}`);
  assert.ok(results.length >= atLeast, `only ${results.length} tests ran in ${where}, expected at least ${atLeast}`);
  for (const r of results) {
    await t.test(r.name, () => {
      if (!r.ok) throw new Error(`failed in ${where}: ${r.name}\n${r.error}`);
    });
  }
  const failed = results.filter((r) => !r.ok).map((r) => r.name);
  assert.deepStrictEqual(failed, [], `failed in ${where}: ${failed.join(", ")}`);
}
