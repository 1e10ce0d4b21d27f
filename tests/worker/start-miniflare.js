// Runs the Worker in workerd (the real Workers runtime) through Miniflare.
// It runs the very bundle `wrangler deploy` would upload: wrangler builds it
// once per process (`deploy --dry-run --outdir`), and Miniflare gets the same
// bindings as worker/wrangler.toml declares. The browser e2e test imports
// startWorker() from this path too.
//
//   const { url, mf, dispose } = await startWorker({ persist: dir, env: { PANDORA_TOKEN: "t" } });
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WORKER = join(ROOT, "worker");
// scripts/start.sh holds this lock while it reinstalls node_modules/pandora-mq,
// so a build never bundles a half-unpacked package when test files run in parallel.
export const INSTALL_LOCK = join(ROOT, "target", "pkg-install.lock");

/** The settings Miniflare needs from wrangler.toml (flat keys this file controls). */
function wranglerSettings() {
  const toml = readFileSync(join(WORKER, "wrangler.toml"), "utf8");
  const compatibilityDate = toml.match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1];
  const runWorkerFirst = JSON.parse(toml.match(/^run_worker_first\s*=\s*(\[[^\]]*\])/m)?.[1] ?? "null");
  if (!compatibilityDate || !runWorkerFirst) throw new Error("worker/wrangler.toml: compatibility_date or run_worker_first not found");
  return { compatibilityDate, runWorkerFirst };
}

let built; // one build per process: Promise<path of the bundled index.js>

/** Bundles worker/ with wrangler into a temporary directory (removed at exit). */
function build() {
  built ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), "pandora-worker-"));
    process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
    const wrangler = join(ROOT, "node_modules", ".bin", "wrangler");
    mkdirSync(dirname(INSTALL_LOCK), { recursive: true });
    const args = ["--wait", "300", INSTALL_LOCK, wrangler, "deploy", "--dry-run", "--outdir", outdir];
    await promisify(execFile)("flock", args, {
      cwd: WORKER,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      maxBuffer: 16 << 20,
    });
    return join(outdir, "index.js");
  })();
  return built;
}

/**
 * Starts the Worker on a free port of 127.0.0.1.
 * @param {{ persist?: string, env?: Record<string, string> }} [options]
 *   `persist`: keep Durable Object and KV state in this directory (default: in memory);
 *   `env`: extra bindings, e.g. `{ PANDORA_TOKEN }` or `{ PANDORA_ADMIN: "off" }`
 * @returns {Promise<{ url: string, mf: Miniflare, dispose: () => Promise<void> }>}
 *   `url` has no trailing slash: the API is at `${url}/api/…`, the demo at `${url}/`
 */
/**
 * How wrangler.toml deploys the Worker, as Miniflare options: its
 * compatibility date, and the asset router in front that sends only
 * run_worker_first paths to the Worker (every API request passes it). The
 * benchmarks start their baseline Workers the same way, so a comparison
 * measures the Workers, not the deployment.
 */
export function deployedAs() {
  const { compatibilityDate, runWorkerFirst } = wranglerSettings();
  return {
    compatibilityDate,
    assets: {
      directory: join(ROOT, "www"),
      binding: "ASSETS",
      routerConfig: { has_user_worker: true, static_routing: { user_worker: runWorkerFirst } },
      assetConfig: { compatibility_date: compatibilityDate },
    },
  };
}

export async function startWorker({ persist, env = {} } = {}) {
  const scriptPath = await build();
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath), // module names are relative to it, and must not climb out
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    // As wrangler dev sets it up: the asset router sends only run_worker_first paths to the Worker.
    ...deployedAs(),
    durableObjects: { MAILBOXES: { className: "MailboxObject", useSQLite: true } },
    kvNamespaces: ["DIRECTORY"],
    bindings: { PANDORA_ADMIN: "on", ...env },
    cf: false, // no network lookup of request.cf
    host: "127.0.0.1",
    port: 0,
    ...(persist ? { durableObjectsPersist: persist, kvPersist: persist } : {}),
  });
  const url = (await mf.ready).origin;
  return { url, mf, dispose: () => mf.dispose() };
}
