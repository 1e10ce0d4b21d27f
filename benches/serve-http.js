// (8) `pandora-mq serve` over HTTP (keep-alive, 1 and 8 connections) on SQLite
// (a file on disk, WAL, synchronous=FULL) and on PostgreSQL (a server started
// here, fsync on): sends/s and fetch+ack pairs/s, beside a bare node:http +
// SQLite queue doing one durable transaction per request, beside the Worker
// in Miniflare (same client, 1 connection), and pandora-mq in-process on
// postgresStorage beside pg-boss (send / fetch / complete) on the same server,
// 1 and 4 concurrent consumers, and 4 Servers on separate pools consuming 4
// mailboxes beside the same on 1 mailbox. The raw cost of one durable SQLite commit on
// this disk is printed too: on one connection it bounds every SQLite figure.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { figure } from "./lib/results.js";
import { leaseOf, post, rate } from "./lib/http-load.js";
import { immediate, openSqlite } from "./lib/sqlite-driver.js";
import { startServe } from "../tests/serve/support/serve-process.js";
import { startPostgres } from "../tests/serve/support/postgres.js";

export const title = "serve over HTTP (SQLite, PostgreSQL) vs bare node:http + SQLite, Worker, pg-boss";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const PAYLOAD = "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.";
const RECEIVERS = 8;

/** Runs `node <script> args` and resolves once it prints its "listening on <url> " line. */
function startScript(script, args) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`${script} exited ${code}`)));
    child.stdout.on("data", (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+) /.exec(out);
      if (m) resolve({ url: m[1], stop: () => child.kill("SIGTERM") });
    });
  });
}

/** sends/s and pairs/s over HTTP at `connections`; every reply is checked. */
async function httpRates(url, connections, n, tag) {
  const send = new URL("/api/send", url);
  const fetchUrl = new URL("/api/fetch", url);
  const ack = new URL("/api/ack", url);
  const box = (i) => `${tag}-${i % RECEIVERS}@bench`;
  const sends = await rate(connections, n, async (agent, i) => {
    const r = await post(agent, send, `sender=a%40bench&receiver=${encodeURIComponent(box(i))}&id=${i}&payload=${encodeURIComponent(PAYLOAD)}`);
    if (r.status !== 200) throw new Error(`send: ${r.status} ${r.body}`);
  });
  const pairs = await rate(connections, n, async (agent, i) => {
    const r = await post(agent, fetchUrl, `receiver=${encodeURIComponent(box(i))}&leaseTime=1m`);
    if (r.status !== 200) throw new Error(`fetch: ${r.status} ${r.body}`);
    const { mid, lid } = leaseOf(r.body);
    const a = await post(agent, ack, `mid=${mid}&lid=${lid}&statusCode=1`);
    if (a.status !== 200) throw new Error(`ack: ${a.status} ${a.body}`);
  });
  return { sends, pairs };
}

/** Milliseconds per durable commit of one small row on this disk (WAL, synchronous=FULL). */
async function commitCost(dir, n) {
  const { db } = await openSqlite(path.join(dir, "commit.db"));
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
  db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB)");
  const put = db.prepare("INSERT OR REPLACE INTO t VALUES (?, ?)");
  const commit = immediate(db, (i) => put.run(`k${i % 64}`, Buffer.alloc(200)));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) commit(i);
  const ms = (performance.now() - t0) / n;
  db.close();
  return ms;
}

/** pg-boss: n sends, then n fetch+complete pairs over `consumers` loops. */
async function pgBossRates(url, n, consumers) {
  const { PgBoss } = await import("pg-boss").then((m) => ({ PgBoss: m.PgBoss ?? m.default }));
  const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false, migrate: true });
  boss.on("error", () => {});
  await boss.start();
  const queue = `bench_${consumers}_${Date.now()}`;
  await boss.createQueue(queue);
  let t0 = performance.now();
  for (let i = 0; i < n; i++) await boss.send(queue, { sender: "a@bench", id: i, payload: PAYLOAD });
  const sends = n / ((performance.now() - t0) / 1000);
  let done = 0;
  t0 = performance.now();
  await Promise.all(Array.from({ length: consumers }, async () => {
    while (done < n) {
      const [job] = await boss.fetch(queue);
      if (!job) continue;
      await boss.complete(queue, job.id);
      done++;
    }
  }));
  const pairs = n / ((performance.now() - t0) / 1000);
  await boss.stop({ graceful: false, wait: true }).catch(() => {});
  return { sends, pairs };
}

/** pandora-mq in-process on postgresStorage: the same shape as pgBossRates. */
async function pandoraPgRates(url, n, consumers) {
  const { Server, postgresStorage } = await import("pandora-mq");
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const storage = postgresStorage(pool, { table: `bench_${consumers}_${Date.now()}` });
  await storage.ready;
  const server = new Server({ storage });
  const receiver = "boss@bench";
  let t0 = performance.now();
  for (let i = 0; i < n; i++) await server.send({ sender: "a@bench", receiver, body: { id: i, payload: PAYLOAD } });
  const sends = n / ((performance.now() - t0) / 1000);
  let done = 0;
  t0 = performance.now();
  await Promise.all(Array.from({ length: consumers }, async () => {
    while (done < n) {
      const m = await server.fetchLatest(receiver, { lease: "1m" });
      if (!m) continue;
      await server.ack(m.mid, m.lid, "confirmed");
      done++;
    }
  }));
  const pairs = n / ((performance.now() - t0) / 1000);
  await pool.end();
  return { sends, pairs };
}

/**
 * fetch+ack pairs/s of `servers` Servers on one table, each on its own pool
 * (as separate processes would be), each consuming `n` messages: of its own
 * mailbox (`spread`), or all of one mailbox.
 */
async function pandoraPgServers(url, n, servers, spread) {
  const { Server, postgresStorage } = await import("pandora-mq");
  const { default: pg } = await import("pg");
  const table = `bench_servers_${spread ? "spread" : "one"}_${Date.now()}`;
  const pools = [];
  const list = [];
  for (let s = 0; s < servers; s++) {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    const storage = postgresStorage(pool, { table });
    await storage.ready; // one at a time: concurrent CREATE TABLE IF NOT EXISTS can collide
    list.push(new Server({ storage }));
  }
  const box = (s) => (spread ? `box${s}@bench` : "one@bench");
  for (const [s, server] of list.entries()) {
    for (let i = 0; i < n; i += 100) {
      await server.sendBatch(Array.from({ length: Math.min(100, n - i) }, (_, j) => ({ sender: "a@bench", receiver: box(s), body: { id: i + j, payload: PAYLOAD } })));
    }
  }
  let done = 0;
  const t0 = performance.now();
  await Promise.all(list.map(async (server, s) => {
    for (;;) {
      const m = await server.fetchLatest(box(s), { lease: "1m" });
      if (!m) return;
      await server.ack(m.mid, m.lid, "confirmed");
      done++;
    }
  }));
  const pairs = done / ((performance.now() - t0) / 1000);
  await Promise.all(pools.map((pool) => pool.end()));
  if (done !== n * servers) throw new Error(`consumed ${done} of ${n * servers}`);
  return pairs;
}

export async function run({ quick, log }) {
  const n = quick ? 200 : 600;
  const entries = [];
  const dir = mkdtempSync(path.join(tmpdir(), "pandora-bench-serve-"));
  const pgServer = await startPostgres({ durable: true });
  try {
    const commitMs = await commitCost(dir, quick ? 100 : 400);
    log(`one durable SQLite commit on this disk: ${commitMs.toFixed(3)} ms`);
    entries.push(figure({
      name: "sqlite: durable commits/s on this disk (WAL, synchronous=FULL)", unit: "commits/s", samples: [1000 / commitMs],
      baseline: "the 0.15 ms per commit the SQLite targets assume", baselineValue: 1000 / 0.15,
      note: "one connection sends one request at a time, so its SQLite rates cannot pass this",
    }));

    const bare = await startScript(path.join(HERE, "lib/bare-sqlite-server.js"), [path.join(dir, "bare.db")]);
    const sqlite = await startServe(["--store", `sqlite:${path.join(dir, "serve.db")}`, "--no-www"]);
    const postgres = await startServe(["--store", pgServer.url, "--no-www"]);
    const { startWorker } = await import("../tests/worker/start-miniflare.js");
    const worker = await startWorker();
    // The same HTTP work with no disk under it: what one connection can reach on this machine at all.
    const bareMemory = await startScript(path.join(HERE, "lib/bare-sqlite-server.js"), [":memory:"]);
    const memory = await startServe(["--store", "memory", "--no-www"]);
    try {
      const w1 = await httpRates(worker.url, 1, n, "worker");
      const bm = await httpRates(bareMemory.url, 1, n, "bare-memory");
      const m = await httpRates(memory.url, 1, n, "memory");
      log(`1 conn, no disk: bare (SQLite :memory:) ${bm.sends.toFixed(0)}/${bm.pairs.toFixed(0)}, serve --store memory ${m.sends.toFixed(0)}/${m.pairs.toFixed(0)}`);
      entries.push(
        figure({ name: "serve memory store (HTTP, 1 keep-alive connection): send", unit: "sends/s", samples: [m.sends], baseline: "bare node:http + in-memory SQLite, 1 connection", baselineValue: bm.sends,
          note: "no disk: the floor of HTTP and queue work on one connection on this machine" }),
        figure({ name: "serve memory store (HTTP, 1 keep-alive connection): fetch+ack", unit: "pairs/s", samples: [m.pairs], baseline: "bare node:http + in-memory SQLite, 1 connection", baselineValue: bm.pairs,
          note: "no disk: the floor of HTTP and queue work on one connection on this machine" }),
      );
      for (const connections of [1, 8]) {
        const b = await httpRates(bare.url, connections, n, `bare${connections}`);
        const s = await httpRates(sqlite.url, connections, n, `sqlite${connections}`);
        const p = await httpRates(postgres.url, connections, n, `pg${connections}`);
        log(`${connections} conn: bare ${b.sends.toFixed(0)}/${b.pairs.toFixed(0)}, sqlite ${s.sends.toFixed(0)}/${s.pairs.toFixed(0)}, postgres ${p.sends.toFixed(0)}/${p.pairs.toFixed(0)}, worker(1) ${w1.sends.toFixed(0)}/${w1.pairs.toFixed(0)}`);
        const on = `${connections} keep-alive connection${connections > 1 ? "s" : ""}`;
        const target1 = connections === 1;
        entries.push(
          figure({ name: `serve sqlite (HTTP, ${on}): send`, unit: "sends/s", samples: [s.sends], baseline: `bare node:http + SQLite, ${on}`, baselineValue: b.sends,
            ...(target1 ? { target: { text: ">= 3000 sends/s", met: (e) => e.value >= 3000 } } : {}) }),
          figure({ name: `serve sqlite (HTTP, ${on}): fetch+ack`, unit: "pairs/s", samples: [s.pairs], baseline: `bare node:http + SQLite, ${on}`, baselineValue: b.pairs,
            ...(target1 ? { target: { text: ">= 1500 pairs/s", met: (e) => e.value >= 1500 } } : {}) }),
          figure({ name: `serve sqlite (HTTP, ${on}): send vs Worker`, unit: "sends/s", samples: [s.sends], baseline: "Worker in Miniflare, 1 connection", baselineValue: w1.sends }),
          figure({ name: `serve postgres (HTTP, ${on}): send`, unit: "sends/s", samples: [p.sends], baseline: `bare node:http + SQLite, ${on}`, baselineValue: b.sends }),
          figure({ name: `serve postgres (HTTP, ${on}): fetch+ack`, unit: "pairs/s", samples: [p.pairs], baseline: `bare node:http + SQLite, ${on}`, baselineValue: b.pairs }),
          figure({ name: `serve postgres (HTTP, ${on}): fetch+ack vs Worker`, unit: "pairs/s", samples: [p.pairs], baseline: "Worker in Miniflare, 1 connection", baselineValue: w1.pairs }),
        );
      }
    } finally {
      bare.stop();
      bareMemory.stop();
      await memory.stop();
      await sqlite.stop();
      await postgres.stop();
      await worker.dispose();
    }

    for (const consumers of [1, 4]) {
      const boss = await pgBossRates(pgServer.url, n, consumers);
      const mine = await pandoraPgRates(pgServer.url, n, consumers);
      log(`${consumers} consumer(s): pg-boss ${boss.sends.toFixed(0)}/${boss.pairs.toFixed(0)}, pandora-mq ${mine.sends.toFixed(0)}/${mine.pairs.toFixed(0)}`);
      if (consumers === 1) entries.push(figure({ name: "postgres in-process: send", unit: "sends/s", samples: [mine.sends], baseline: "pg-boss send, same server", baselineValue: boss.sends }));
      entries.push(figure({ name: `postgres in-process, ${consumers} consumer${consumers > 1 ? "s" : ""}: fetch+ack`, unit: "pairs/s", samples: [mine.pairs], baseline: `pg-boss fetch+complete, ${consumers} consumer${consumers > 1 ? "s" : ""}`, baselineValue: boss.pairs }));
    }
    // Per-mailbox locks: 4 Servers on their own pools (as 4 processes) run
    // their mailboxes side by side; on one mailbox they take turns. Interleaved.
    const spread = [];
    const one = [];
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      spread.push(await pandoraPgServers(pgServer.url, n / 2, 4, true));
      one.push(await pandoraPgServers(pgServer.url, n / 2, 4, false));
    }
    log(`4 servers: 4 mailboxes ${spread.map((x) => x.toFixed(0)).join(" ")} pairs/s | 1 mailbox ${one.map((x) => x.toFixed(0)).join(" ")} pairs/s`);
    entries.push(figure({
      name: "postgres, 4 Servers on 4 pools, 4 mailboxes: fetch+ack", unit: "pairs/s", samples: spread,
      baseline: "the same 4 Servers all on 1 mailbox", baselineSamples: one,
      note: "one table; a mailbox's lock per operation (the table's shared), so different mailboxes do not wait for each other",
    }));
  } finally {
    await pgServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return entries;
}
