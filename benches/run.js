#!/usr/bin/env node
// Runs the benchmarks, prints one table and writes benches/results.json.
//
//   node benches/run.js                  everything (several minutes: the 1M-message groups dominate)
//   node benches/run.js --quick          a fast smoke run (small counts, 3 rounds)
//   node benches/run.js --only depth     one group (repeat --only, or a comma list, for several)
//   node benches/run.js --no-install     measure node_modules/pandora-mq as it is
//
// Each group runs in its own fresh Node process (benches/lib/child.js). Before
// measuring, node_modules/pandora-mq is refreshed from pkg/ (scripts/install-pkg.sh)
// when pkg/ holds a different build, so `make bench` measures what `make pkg` built.
// Benchmarks measure and report; they never fail on a figure.

import { execFileSync, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { machine, writeResults } from "./lib/results.js";
import { renderTable } from "./lib/table.js";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ROOT = join(HERE, "..");
const RESULTS = join(HERE, "results.json");

/** Groups in run order: name (for --only), file, extra node flags. */
export const GROUPS = [
  { name: "node", file: "node-throughput.js", about: "(1) Node built-in store vs plain JS" },
  { name: "js-storage", file: "node-js-storage.js", about: "(2) JS storage callbacks vs built-in store" },
  { name: "depth", file: "queue-depth.js", about: "(3) latency and send rate at depth 1k/100k/1M", nodeArgs: ["--max-old-space-size=4096"] },
  { name: "memory", file: "memory-per-message.js", about: "(4) bytes per queued message at 1M", nodeArgs: ["--expose-gc", "--max-old-space-size=8192"] },
  { name: "chromium", file: "chromium-indexeddb.js", about: "(5) Chromium IndexedDB vs idb-keyval" },
  { name: "worker", file: "worker-miniflare.js", about: "(6) Worker in Miniflare vs bare JS Worker" },
  { name: "wasm", file: "wasm-size.js", about: "(7) wasm size and cold instantiation" },
  { name: "serve", file: "serve-http.js", about: "(8) serve over HTTP on SQLite and PostgreSQL vs bare node:http + SQLite, Worker, pg-boss" },
  { name: "chromium-batch", file: "chromium-indexeddb-batch.js", about: "(9) Chromium IndexedDB sendBatch(100) vs single sends" },
  { name: "worker-batches", file: "worker-batches.js", about: "(10) Worker batches and long poll vs single requests and a SQL-API Durable Object queue" },
  { name: "batch", file: "batch.js", about: "(11) Node built-in store sendBatch(100), fetchBatch(100)+ackBatch vs single calls" },
  { name: "long-poll", file: "long-poll.js", about: "(12) long poll in process: send to wake-up, and to a consume handler" },
  { name: "rows", file: "rows-per-message.js", about: "(13) storage rows per message lifecycle, Durable Object cost of 1M messages" },
  { name: "stats", file: "builtin-stats.js", about: "(14) built-in store stats of a 100k mailbox vs a scanning JS storage" },
  { name: "wake", file: "cross-server-wake.js", about: "(15) long poll across servers on one SQLite file and one PostgreSQL: send to wake-up vs within one server" },
];

function parseArgs(argv) {
  const o = { quick: false, only: [], install: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") o.quick = true;
    else if (a === "--no-install") o.install = false;
    else if (a === "--only") o.only.push(...(argv[++i] ?? "").split(","));
    else if (a.startsWith("--only=")) o.only.push(...a.slice(7).split(","));
    else if (a === "--help" || a === "-h") {
      console.log(`usage: node benches/run.js [--quick] [--only <${GROUPS.map((g) => g.name).join("|")}>] [--no-install]`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  const unknown = o.only.filter((n) => !GROUPS.some((g) => g.name === n));
  if (unknown.length) throw new Error(`unknown group ${unknown.join(", ")}: choose from ${GROUPS.map((g) => g.name).join(", ")}`);
  return o;
}

/** Digest of the package files that matter, in `dir` (pkg/ or node_modules/pandora-mq/). */
function packageDigest(dir) {
  const hash = createHash("sha256");
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(relative(dir, p)).update(readFileSync(p));
    }
  };
  for (const f of ["pandora_mq_bg.wasm", "pandora_mq.js"]) {
    if (!existsSync(join(dir, f))) return null;
    hash.update(f).update(readFileSync(join(dir, f)));
  }
  for (const d of ["src", "entry"]) if (existsSync(join(dir, d))) walk(join(dir, d));
  return hash.digest("hex");
}

/** Reinstalls node_modules/pandora-mq from pkg/ when they differ (under the lock the Worker tests use). */
function refreshPackage() {
  const built = packageDigest(join(ROOT, "pkg"));
  const installed = existsSync(join(ROOT, "node_modules/pandora-mq")) ? packageDigest(join(ROOT, "node_modules/pandora-mq")) : null;
  if (built === null) {
    if (installed === null) throw new Error("no pkg/ build and no node_modules/pandora-mq: run `make pkg` first");
    console.error("# pkg/ has no wasm build; measuring node_modules/pandora-mq as installed");
    return;
  }
  if (built === installed) return;
  console.error("# node_modules/pandora-mq differs from pkg/: reinstalling (scripts/install-pkg.sh)");
  execFileSync(join(ROOT, "scripts/install-pkg.sh"), {
    cwd: ROOT, stdio: ["ignore", "inherit", "inherit"],
  });
}

/** Runs one group in a fresh process; resolves to its entries (or one entry saying why it failed). */
function runGroup(group, { quick }) {
  return new Promise((resolve) => {
    const child = fork(join(HERE, "lib/child.js"), [join(HERE, group.file), JSON.stringify({ quick })], {
      execArgv: group.nodeArgs ?? [],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let reply = null;
    child.on("message", (m) => (reply = m));
    child.on("exit", (code, signal) => {
      if (reply?.entries) resolve(reply.entries);
      else {
        const reason = reply?.error ?? `process exited with ${signal ?? code}`;
        resolve([{ name: `${group.name}: ${group.about}`, value: null, unit: "", baseline: null, baseline_value: null, ratio: null, min: null, median: null, max: null, error: reason }]);
      }
    });
  });
}

/** Identity of the installed package: digest and wasm size (others may reinstall it while we run). */
function installed() {
  const dir = join(ROOT, "node_modules/pandora-mq");
  const digest = packageDigest(dir);
  return { digest: digest?.slice(0, 16) ?? null, wasm_bytes: digest ? statSync(join(dir, "pandora_mq_bg.wasm")).size : null };
}

const options = parseArgs(process.argv.slice(2));
if (options.install) refreshPackage();
const packageAtStart = installed();
const changedDuring = [];
const selected = options.only.length ? GROUPS.filter((g) => options.only.includes(g.name)) : GROUPS;
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");
const loadBefore = load();
const started = Date.now();
const entries = [];
for (const group of selected) {
  const t0 = Date.now();
  console.error(`\n## ${group.name}: ${group.about}${options.quick ? " (quick)" : ""}`);
  const before = installed();
  const got = await runGroup(group, options);
  const after = installed();
  if (after.digest !== before.digest || before.digest !== packageAtStart.digest) {
    // Someone reinstalled node_modules/pandora-mq: say which figures may mix builds.
    changedDuring.push(group.name);
    console.error(`## WARNING: node_modules/pandora-mq changed (${packageAtStart.digest} -> ${after.digest}) by ${group.name}'s end: its figures may be of another build`);
    for (const e of got) e.package_changed = true;
  }
  entries.push(...got);
  console.error(`## ${group.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const info = {
  ...machine(),
  load_average_before: loadBefore,
  load_average_after: load(),
  run: { quick: options.quick, only: options.only.length ? options.only : "all", seconds: Math.round((Date.now() - started) / 1000) },
  package: { ...packageAtStart, changed_during: changedDuring },
};
entries.push(info);
writeResults(RESULTS, entries);

console.log(`\npandora-mq benchmarks${options.quick ? " (--quick: small counts, not for comparison)" : ""}`);
console.log(`machine: ${info.cores} cores ${info.cpu_model}, ${info.memory_gb} GB, ${info.os}; Node ${info.node_version}; ${info.chromium_version ?? "no Chromium"}; load average ${loadBefore} -> ${info.load_average_after}`);
console.log(`package: node_modules/pandora-mq ${packageAtStart.digest}, wasm ${packageAtStart.wasm_bytes} B${changedDuring.length ? `; REINSTALLED by someone during: ${changedDuring.join(", ")} (rows marked *)` : ""}`);
console.log(renderTable(entries));
console.log(`\nwrote ${relative(process.cwd(), RESULTS) || RESULTS} (${entries.length - 1} figures + machine) in ${info.run.seconds} s`);
