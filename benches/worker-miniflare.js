// (6) The Worker (worker/, bundled by wrangler as for deploy, started by
// tests/worker/start-miniflare.js) in Miniflare, i.e. the real workerd runtime,
// over keep-alive HTTP from Node's fetch: sends/s and fetch+ack pairs/s, one
// request at a time, against the bare JS Worker in benches/worker-baseline/
// doing the same Durable Object storage reads and writes without wasm. Every
// Worker is deployed alike: the same compatibility date and the same asset
// router in front of /api/ (a hop of the platform, not of either Worker).
// Durable Object state is in memory for both (Miniflare's default, no persist).
// Each round uses a new mailbox (a new Durable Object), warmed by one untimed
// send+fetch+ack so object start-up and wasm compilation are not in the figure.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { memoryStorage } from "pandora-mq";
import { lifecycleRows } from "./rows-per-message.js";
import { figure, unavailable } from "./lib/results.js";

export const title = "Worker in Miniflare vs bare JS Worker";

const START = new URL("../tests/worker/start-miniflare.js", import.meta.url);
const BARE = fileURLToPath(new URL("./worker-baseline/index.js", import.meta.url));
const SQL_QUEUE = fileURLToPath(new URL("./worker-sql-baseline/index.js", import.meta.url));
const NAMES = { send: "worker (Miniflare, HTTP): send", fetchAck: "worker (Miniflare, HTTP): fetch+ack" };
const PAYLOAD = "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.";

/**
 * A baseline Worker in Miniflare, deployed as the real one is (`deployedAs`:
 * its compatibility date, and the asset router every /api/ request passes
 * first); `directory`: also write the KV directory on send.
 */
async function startBare(deployedAs, { directory = false, script = BARE, className = "BareMailbox" } = {}) {
  const { Miniflare } = await import("miniflare");
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    ...deployedAs(),
    // The baselines are ES modules that import more of them (../lib/format2-keys.js),
    // which Miniflare follows and, by default, would read as CommonJS.
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }],
    durableObjects: { BOXES: { className, useSQLite: true } },
    kvNamespaces: ["DIRECTORY"],
    bindings: { WITH_DIRECTORY: directory ? "on" : "off" },
    cf: false,
    host: "127.0.0.1",
    port: 0,
  });
  const url = (await mf.ready).origin;
  return { url, dispose: () => mf.dispose() };
}

async function post(url, route, fields) {
  const res = await fetch(`${url}/api/${route}`, { method: "POST", body: new URLSearchParams(fields) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${route}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return new URLSearchParams(text);
}

async function sendOne(url, receiver, i) {
  return post(url, "send", { sender: "alice@example.com", receiver, topic: "orders", id: String(i), payload: PAYLOAD });
}

async function fetchAckOne(url, receiver) {
  const m = await post(url, "fetch", { receiver });
  await post(url, "ack", { mid: m.get("mid"), lid: m.get("lid"), statusCode: "1" });
}

/** One round on one Worker: n sends, then n fetch+ack pairs (unless `sendOnly`), on a fresh mailbox. */
async function round(url, n, tag, sendOnly = false) {
  const receiver = `bench-${tag}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  await sendOne(url, receiver, -1);
  await fetchAckOne(url, receiver);
  let t0 = performance.now();
  for (let i = 0; i < n; i++) await sendOne(url, receiver, i);
  const send = (n * 1000) / (performance.now() - t0);
  if (sendOnly) return { send, receiver };
  t0 = performance.now();
  for (let i = 0; i < n; i++) await fetchAckOne(url, receiver);
  const fetchAck = (n * 1000) / (performance.now() - t0);
  return { send, fetchAck, receiver };
}

export async function run({ quick, log }) {
  const no = (reason) => Object.values(NAMES).map((name) => unavailable({ name, unit: "req/s", baseline: "bare JS Worker", reason }));
  if (!existsSync(START)) return no("tests/worker/start-miniflare.js is missing (the Worker is not ready)");
  let startWorker, deployedAs;
  try {
    ({ startWorker, deployedAs } = await import(START.href));
  } catch (e) {
    return no(`cannot load tests/worker/start-miniflare.js: ${e.message}`);
  }
  const n = quick ? 40 : 150;
  const rounds = quick ? 3 : 5;
  const t0 = performance.now();
  let real;
  try {
    // As deployed by default: admin routes off, so a send writes no KV directory entry.
    real = await startWorker({ env: { PANDORA_ADMIN: "off" } });
  } catch (e) {
    return no(`startWorker() failed: ${String(e.message ?? e).split("\n")[0]}`);
  }
  log(`  real Worker up at ${real.url} in ${((performance.now() - t0) / 1000).toFixed(1)} s (wrangler bundle + workerd)`);
  // With admin routes on, each send also records its mid in the KV directory.
  const admin = await startWorker({ env: { PANDORA_ADMIN: "on" } });
  const bare = await startBare(deployedAs);
  const bareKv = await startBare(deployedAs, { directory: true });
  const sql = await startBare(deployedAs, { script: SQL_QUEUE, className: "SqlMailbox" });
  try {
    const samples = { real: { send: [], fetchAck: [] }, bare: { send: [], fetchAck: [] }, admin: { send: [] }, bareKv: { send: [] }, sql: { send: [], fetchAck: [] } };
    const urls = { real: real.url, bare: bare.url, admin: admin.url, bareKv: bareKv.url, sql: sql.url };
    const sendOnly = new Set(["admin", "bareKv"]);
    const sqlRows = [];
    for (let r = -1; r < rounds; r++) {
      const order = r % 2 ? ["real", "bare", "sql", "admin", "bareKv"] : ["bareKv", "admin", "sql", "bare", "real"];
      const got = {};
      let rows;
      for (const v of order) {
        got[v] = await round(urls[v], n, v, sendOnly.has(v));
        // Rows the SQL queue's statements billed for this round's n + 1 messages (one was the warm-up),
        // asked at once: the sums live in the object's memory, gone if it is evicted while idle.
        if (v === "sql") rows = await (await fetch(`${sql.url}/api/rows?receiver=${encodeURIComponent(got.sql.receiver)}`)).json();
      }
      const perMessage = { written: rows.rowsWritten / (n + 1), read: rows.rowsRead / (n + 1) };
      if (r >= 0) sqlRows.push(perMessage);
      log(`  ${r < 0 ? "warm-up" : `round ${r + 1}/${rounds}`}: worker send ${got.real.send.toFixed(0)}/s fetch+ack ${got.real.fetchAck.toFixed(0)}/s | bare send ${got.bare.send.toFixed(0)}/s fetch+ack ${got.bare.fetchAck.toFixed(0)}/s | SQL queue send ${got.sql.send.toFixed(0)}/s fetch+ack ${got.sql.fetchAck.toFixed(0)}/s (rows written ${perMessage.written.toFixed(2)}/msg) | admin-on send ${got.admin.send.toFixed(0)}/s vs bare+KV ${got.bareKv.send.toFixed(0)}/s`);
      if (r < 0) continue;
      for (const v of Object.keys(samples)) for (const k of Object.keys(samples[v])) samples[v][k].push(got[v][k]);
    }
    const note = `${n} requests (pairs) per round, sequential, one keep-alive connection; DO state in memory; every Worker behind the same asset router`;
    const target = { text: "≥ 0.9×", met: (e) => e.ratio >= 0.9 };
    const ours = await lifecycleRows(memoryStorage, 500);
    const sqlNote = `${note}; SQL queue: one table + an index on visible time, rows from each statement's cursor (rowsWritten/rowsRead)`;
    return [
      figure({ name: `${NAMES.send} vs SQL-API queue`, unit: "req/s", samples: samples.real.send, baseline: "hand-written JS queue on the DO SQL API", baselineSamples: samples.sql.send, note: sqlNote }),
      figure({ name: `${NAMES.fetchAck} vs SQL-API queue`, unit: "pairs/s (2 req)", samples: samples.real.fetchAck, baseline: "hand-written JS queue on the DO SQL API", baselineSamples: samples.sql.fetchAck, note: sqlNote }),
      figure({
        name: "rows written per message lifecycle: pandora-mq vs SQL-API queue", unit: "rows (lower is better)", better: "lower",
        samples: [ours.lifecycle.written], baseline: "hand-written JS queue on the DO SQL API (cursor.rowsWritten)", baselineSamples: sqlRows.map((x) => x.written),
        note: `pandora-mq counted by a wrapping store (see rows group); SQL queue rows read ${sqlRows.map((x) => x.read.toFixed(2)).join(", ")} per message`,
      }),
      figure({ name: NAMES.send, unit: "req/s", samples: samples.real.send, baseline: "bare JS Worker, same DO storage calls", baselineSamples: samples.bare.send, target, note }),
      figure({ name: NAMES.fetchAck, unit: "pairs/s (2 req)", samples: samples.real.fetchAck, baseline: "bare JS Worker, same DO storage calls", baselineSamples: samples.bare.fetchAck, target, note }),
      figure({
        name: `${NAMES.send}, admin on (KV directory write)`, unit: "req/s", samples: samples.admin.send,
        baseline: "bare JS Worker + the same KV put in waitUntil", baselineSamples: samples.bareKv.send,
        note: `${note}; PANDORA_ADMIN=on adds the KV directory write the admin routes read`,
      }),
    ];
  } finally {
    await sql.dispose();
    await bareKv.dispose();
    await bare.dispose();
    await admin.dispose();
    await real.dispose();
  }
}
