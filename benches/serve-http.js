// (8) `pandora-mq serve` over HTTP (keep-alive, 1 and 8 connections) on SQLite
// (a file on disk, WAL, synchronous=FULL, each reply after its commit), on PostgreSQL (a
// server started here, fsync on) and in memory: sends/s and fetch+ack pairs/s,
// beside a bare node:http + SQLite queue doing one durable transaction per
// request (on disk, and in memory), beside the Worker in Miniflare (same
// client), all warmed up, then measured round by round in turn; and pandora-mq in-process on
// postgresStorage beside pg-boss (send / fetch / complete) on the same server,
// 1 and 4 concurrent consumers, and 4 Servers on separate pools consuming 4
// mailboxes beside the same on 1 mailbox. The raw cost of one durable SQLite commit on
// this disk is printed too: on one connection it bounds every SQLite figure.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
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

/**
 * Milliseconds per durable commit of one small row on this disk (WAL,
 * synchronous=FULL), back to back or each after `idleMs` of idleness: a
 * server on one connection idles between its reply and the next request,
 * and on some disks (virtual ones) a flush after idleness costs more.
 * Timed once the WAL has been checkpointed and is rewritten from its start,
 * as in a server that has run for a while: while a new file's WAL still
 * grows, every commit also extends the file, and costs more (the first
 * figure returned, for the log).
 */
let commitFiles = 0;
async function commitCost(dir, n, idleMs = 0) {
  const file = path.join(dir, `commit-${commitFiles++}.db`);
  const { db } = await openSqlite(file);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
  db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB)");
  const put = db.prepare("INSERT OR REPLACE INTO t VALUES (?, ?)");
  const commit = immediate(db, (i) => put.run(`k${i % 64}`, Buffer.alloc(200)));
  const timed = async (count, from) => {
    let busy = 0;
    for (let i = from; i < from + count; i++) {
      if (idleMs > 0) await new Promise((resolve) => setTimeout(resolve, idleMs));
      const t0 = performance.now();
      commit(i);
      busy += performance.now() - t0;
    }
    return busy / count;
  };
  const growing = await timed(Math.min(n, 200), 0);
  // Commits until the WAL stops growing: it has been checkpointed and is reused.
  const walSize = () => statSync(`${file}-wal`).size;
  for (let i = 0, last = walSize(), same = 0; same < 200 && i < 20_000; i++) {
    commit(i);
    const size = walSize();
    same = size === last ? same + 1 : 0;
    last = size;
  }
  const steady = await timed(n, 0);
  db.close();
  return { steady, growing };
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

/** Median of a list of numbers. */
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

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
  const n = quick ? 150 : 400;
  const rounds = quick ? 1 : 3;
  const entries = [];
  const dir = mkdtempSync(path.join(tmpdir(), "pandora-bench-serve-"));
  const pgServer = await startPostgres({ durable: true });
  try {
    const bare = await startScript(path.join(HERE, "lib/bare-sqlite-server.js"), [path.join(dir, "bare.db")]);
    const sqlite = await startServe(["--store", `sqlite:${path.join(dir, "serve.db")}`, "--no-www"]);
    const postgres = await startServe(["--store", pgServer.url, "--no-www"]);
    const { startWorker } = await import("../tests/worker/start-miniflare.js");
    const worker = await startWorker();
    // The same HTTP work with no disk under it: what one connection can reach on this machine at all.
    const bareMemory = await startScript(path.join(HERE, "lib/bare-sqlite-server.js"), [":memory:"]);
    const memory = await startServe(["--store", "memory", "--no-www"]);
    const servers = { bareMemory, memory, bare, sqlite, postgres, worker };
    try {
      // Warm-up: the first few hundred requests of a process run cold code (JIT, wasm tiers).
      for (const [tag, server] of Object.entries(servers)) await httpRates(server.url, 1, Math.min(n, 200), `warm-${tag}`);
      /** @type {Record<string, { sends: number[], pairs: number[] }>} */
      const got = {};
      const commits = [];
      const growingCommits = [];
      const idleCommits = [];
      let k = 0;
      // Round by round, every server once per connection count (and the disk's
      // commit cost once), so machine drift hits them all alike.
      for (let round = 0; round < rounds; round++) {
        const back = await commitCost(dir, quick ? 100 : 300);
        commits.push(1000 / back.steady);
        growingCommits.push(1000 / back.growing);
        idleCommits.push(1000 / (await commitCost(dir, quick ? 50 : 200, 1)).steady);
        for (const connections of [1, 8]) {
          for (const [tag, server] of Object.entries(servers)) {
            const r = await httpRates(server.url, connections, n, `${tag}${connections}-${k++}`);
            const slot = (got[`${tag}/${connections}`] ??= { sends: [], pairs: [] });
            slot.sends.push(r.sends);
            slot.pairs.push(r.pairs);
          }
        }
      }
      const commitRate = median(commits);
      log(`one durable SQLite commit on this disk (WAL, synchronous=FULL, the WAL reused): ${(1000 / commitRate).toFixed(3)} ms back to back, ${(1000 / median(idleCommits)).toFixed(3)} ms after 1 ms idle; ${(1000 / median(growingCommits)).toFixed(3)} ms while a new file's WAL still grows`);
      for (const [key, { sends, pairs }] of Object.entries(got)) log(`${key}: ${median(sends).toFixed(0)} sends/s, ${median(pairs).toFixed(0)} pairs/s`);
      entries.push(figure({
        name: "sqlite: durable commits/s on this disk (WAL reused, synchronous=FULL, one INSERT each)", unit: "commits/s", samples: commits,
        baseline: "the 0.15 ms per commit the SQLite targets assume", baselineValue: 1000 / 0.15,
        note: "one connection sends one request at a time and each reply waits for its commit, so its SQLite rates cannot pass this",
      }), figure({
        name: "sqlite: durable commits/s, each after 1 ms idle", unit: "commits/s", samples: idleCommits,
        baseline: "back to back (above)", baselineSamples: commits,
        note: "a server on one connection idles between its reply and the next request: below 1, its commits cost more than back to back",
      }));
      const rows = (tag, connections) => got[`${tag}/${connections}`];
      for (const connections of [1, 8]) {
        const on = `${connections} keep-alive connection${connections > 1 ? "s" : ""}`;
        const target1 = connections === 1;
        const [bm, m, b, sq, pg, w] = ["bareMemory", "memory", "bare", "sqlite", "postgres", "worker"].map((tag) => rows(tag, connections));
        entries.push(
          figure({ name: `serve memory store (HTTP, ${on}): send`, unit: "sends/s", samples: m.sends, baseline: `bare node:http + in-memory SQLite, ${on}`, baselineSamples: bm.sends,
            note: "no disk: HTTP and queue work alone" }),
          figure({ name: `serve memory store (HTTP, ${on}): fetch+ack`, unit: "pairs/s", samples: m.pairs, baseline: `bare node:http + in-memory SQLite, ${on}`, baselineSamples: bm.pairs,
            note: "no disk: HTTP and queue work alone" }),
          figure({ name: `serve sqlite (HTTP, ${on}): send`, unit: "sends/s", samples: sq.sends, baseline: `bare node:http + SQLite, ${on}`, baselineSamples: b.sends,
            ...(target1 ? { target: { text: ">= 3000 sends/s", met: (e) => e.value >= 3000 } } : {}) }),
          figure({ name: `serve sqlite (HTTP, ${on}): fetch+ack`, unit: "pairs/s", samples: sq.pairs, baseline: `bare node:http + SQLite, ${on}`, baselineSamples: b.pairs,
            ...(target1 ? { target: { text: ">= 1500 pairs/s", met: (e) => e.value >= 1500 } } : {}) }),
          figure({ name: `serve sqlite (HTTP, ${on}): send vs the disk`, unit: "sends/s", samples: sq.sends, baseline: "durable SQLite commits/s on this disk (above)", baselineSamples: commits,
            note: "1 connection: at most 1 (one fsync per reply); 8 connections: concurrent commits share an fsync" }),
          figure({ name: `serve sqlite (HTTP, ${on}): send vs Worker`, unit: "sends/s", samples: sq.sends, baseline: `Worker in Miniflare, ${on}`, baselineSamples: w.sends }),
          figure({ name: `serve postgres (HTTP, ${on}): send`, unit: "sends/s", samples: pg.sends, baseline: `bare node:http + SQLite, ${on}`, baselineSamples: b.sends }),
          figure({ name: `serve postgres (HTTP, ${on}): fetch+ack`, unit: "pairs/s", samples: pg.pairs, baseline: `bare node:http + SQLite, ${on}`, baselineSamples: b.pairs }),
          figure({ name: `serve postgres (HTTP, ${on}): fetch+ack vs Worker`, unit: "pairs/s", samples: pg.pairs, baseline: `Worker in Miniflare, ${on}`, baselineSamples: w.pairs }),
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
