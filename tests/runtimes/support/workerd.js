/**
 * Runs a test worker from tests/runtimes/scripts/ in workerd through Miniflare.
 * Miniflare follows the worker's static relative imports from disk (the
 * package's workerd entry imports its .wasm as a CompiledWasm module), with
 * the repository root as modulesRoot so those paths may reach node_modules/.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";

export const ROOT = path.resolve(fileURLToPath(new URL("../../..", import.meta.url)));

/** The Worker's own compatibility date (worker/wrangler.toml), so tests match production. */
function compatibilityDate() {
  const toml = readFileSync(path.join(ROOT, "worker/wrangler.toml"), "utf8");
  const date = toml.match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1];
  if (!date) throw new Error("worker/wrangler.toml: no compatibility_date");
  return date;
}

/**
 * Starts `script` (a file name in tests/runtimes/scripts/), sends it one GET
 * and returns the parsed JSON reply, then disposes of workerd.
 * @param {string} script
 * @param {Record<string, { className: string, useSQLite?: boolean }>} [durableObjects]
 * @param {{ kvNamespaces?: string[] }} [bindings] further bindings, in memory
 *   like the Durable Objects, so every run starts empty
 * @returns {Promise<any>}
 */
export async function fetchJsonFromWorker(script, durableObjects = {}, { kvNamespaces = [] } = {}) {
  const mf = new Miniflare({
    modules: true,
    scriptPath: path.join(ROOT, "tests/runtimes/scripts", script),
    modulesRoot: ROOT,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: compatibilityDate(),
    durableObjects,
    kvNamespaces,
    cf: false,
  });
  try {
    const res = await mf.dispatchFetch("http://runtime.test/");
    const text = await res.text();
    if (res.status !== 200) throw new Error(`worker answered ${res.status}: ${text}`);
    return JSON.parse(text);
  } finally {
    await mf.dispose();
  }
}
