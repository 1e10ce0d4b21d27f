// (10) Batches and long polling through the Worker (worker/, bundled as for
// deploy, in Miniflare, i.e. workerd), one mailbox, over keep-alive HTTP:
// - sendBatch of 100 and fetch(max 100) + ackBatch, in messages/s, beside
//   single sends and single fetch+ack pairs of the same run;
// - the same HTTP workload against a hand-written JS Durable Object queue on
//   the SQL API (benches/worker-sql-baseline/: one table, one index by due
//   time): messages/s side by side, and rows written per message. The SQL
//   side's rows are its cursors' rowsWritten; the Worker's are counted by a
//   wrapper around the storage of a package Server in this process serving
//   the very same requests (each key a write batch puts or deletes is one row
//   of the object's key-value table);
// - long poll: from the start of a send to the waiting fetch's reply, median
//   of the samples, beside the plain send round trip of the same samples.
// Durable Object state is in memory for both Workers (Miniflare's default).

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setTimeout as pause } from "node:timers/promises";
import { figure, unavailable } from "./lib/results.js";

export const title = "Worker batches and long poll vs single requests and a SQL-API Durable Object queue";

const START = new URL("../tests/worker/start-miniflare.js", import.meta.url);
const SQL = fileURLToPath(new URL("./worker-sql-baseline/index.js", import.meta.url));
const PAYLOAD = "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.";
const NAMES = {
  sendBatch: "worker (Miniflare): sendBatch(100)",
  fetchAckBatch: "worker (Miniflare): fetch(max 100)+ackBatch",
  sqlSendBatch: "worker vs SQL-API DO queue: sendBatch(100)",
  sqlFetchAck: "worker vs SQL-API DO queue: fetch(max 100)+ackBatch",
  sqlSend: "worker vs SQL-API DO queue: single send",
  rowsSend: "rows written per message: single send",
  rowsBatch: "rows written per message: sendBatch(100)",
  rowsFetchAck: "rows written per message: fetch(max 100)+ackBatch",
  longPoll: "worker (Miniflare): long poll, send -> wake",
  stats: "worker (Miniflare): stats of a deep mailbox",
};

async function startSql() {
  const { Miniflare } = await import("miniflare");
  const mf = new Miniflare({
    modules: true,
    scriptPath: SQL,
    compatibilityDate: "2026-04-20",
    durableObjects: { BOXES: { className: "SqlMailbox", useSQLite: true } },
    cf: false,
    host: "127.0.0.1",
    port: 0,
  });
  const url = (await mf.ready).origin;
  return { url, dispose: () => mf.dispose() };
}

/** A client of one Worker: `call(route, init)` -> Response, via fetch or an in-process handler. */
const httpClient = (url) => (route, init) => fetch(`${url}/api/${route}`, init);

async function ok(res, what) {
  const text = await res.text();
  if (res.status !== 200 && res.status !== 204) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return text;
}

const form = (fields) => ({ method: "POST", body: new URLSearchParams(fields) });
const jsonPost = (value) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(value) });
const item = (receiver, i) => ({ sender: "alice@example.com", receiver, topic: "orders", id: String(i), payload: PAYLOAD });

/** The phases of one round on one Worker; each returns messages/s. */
const phases = {
  async send(call, receiver, n) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await ok(await call("send", form(item(receiver, i))), "send");
    return (n * 1000) / (performance.now() - t0);
  },
  async fetchAck(call, receiver, n) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const m = new URLSearchParams(await ok(await call("fetch", form({ receiver })), "fetch"));
      await ok(await call("ack", form({ mid: m.get("mid"), lid: m.get("lid"), statusCode: "1" })), "ack");
    }
    return (n * 1000) / (performance.now() - t0);
  },
  async sendBatch(call, receiver, batches) {
    const t0 = performance.now();
    for (let b = 0; b < batches; b++) {
      const items = Array.from({ length: 100 }, (_, i) => item(receiver, b * 100 + i));
      await ok(await call("sendBatch", jsonPost(items)), "sendBatch");
    }
    return (batches * 100 * 1000) / (performance.now() - t0);
  },
  async fetchAckBatch(call, receiver, batches) {
    const t0 = performance.now();
    let done = 0;
    for (let b = 0; b < batches; b++) {
      const got = JSON.parse(await ok(await call("fetch", form({ receiver, max: "100" })), "fetch max"));
      const results = JSON.parse(await ok(await call("ackBatch", jsonPost(got.map((m) => ({ mid: m.mid, lid: m.lid, status: "confirmed" })))), "ackBatch"));
      done += results.filter((r) => r.ok).length;
    }
    if (done !== batches * 100) throw new Error(`fetch+ackBatch settled ${done} of ${batches * 100}`);
    return (done * 1000) / (performance.now() - t0);
  },
};

const box = (tag) => `bench-${tag}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;

/** One round on one Worker: every phase on fresh mailboxes, warmed by an untimed send+fetch+ack. */
async function round(call, { n, batches }, tag) {
  const single = box(`${tag}-1`);
  const batch = box(`${tag}-b`);
  for (const receiver of [single, batch]) {
    await phases.send(call, receiver, 1);
    await phases.fetchAck(call, receiver, 1);
  }
  return {
    mailboxes: { single, batch },
    send: await phases.send(call, single, n),
    fetchAck: await phases.fetchAck(call, single, n),
    sendBatch: await phases.sendBatch(call, batch, batches),
    fetchAckBatch: await phases.fetchAckBatch(call, batch, batches),
  };
}

/** Rows per message of each phase, on the SQL baseline (its rowsWritten) or the counted Server. */
async function rowsPerMessage(call, rowsOf, { n, batches }) {
  const single = box("rows-1");
  const batch = box("rows-b");
  const measure = async (receiver, messages, run) => {
    const before = await rowsOf(receiver);
    await run();
    return ((await rowsOf(receiver)) - before) / messages;
  };
  return {
    send: await measure(single, n, () => phases.send(call, single, n)),
    sendBatch: await measure(batch, batches * 100, () => phases.sendBatch(call, batch, batches)),
    fetchAckBatch: await measure(batch, batches * 100, () => phases.fetchAckBatch(call, batch, batches)),
  };
}

/** A package Server in this process on memory storage that counts the keys each write puts or deletes. */
async function countedServer() {
  const { Server, memoryStorage } = await import("pandora-mq");
  const inner = memoryStorage();
  let rows = 0;
  const storage = {
    get: (key) => inner.get(key),
    list: (options) => inner.list(options),
    write: (batch) => {
      rows += batch.length;
      return inner.write(batch);
    },
  };
  const server = new Server({ storage });
  const call = (route, init) => server.handle(new Request(`http://bench/api/${route}`, init));
  return { call, rows: () => rows };
}

/** Fills one mailbox with `depth` messages (sendBatch of 100), then times `stats` `times` times (ms each). */
async function statsSamples(url, depth, times) {
  const call = httpClient(url);
  const receiver = box("stats");
  for (let b = 0; b < depth / 100; b++) {
    const items = Array.from({ length: 100 }, (_, i) => item(receiver, b * 100 + i));
    await ok(await call("sendBatch", jsonPost(items)), "sendBatch");
  }
  const out = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const stats = JSON.parse(await ok(await fetch(`${url}/api/stats?receiver=${encodeURIComponent(receiver)}`, { headers: { Accept: "application/json" } }), "stats"));
    out.push(performance.now() - t0);
    if (stats.ready !== depth) throw new Error(`stats said ready ${stats.ready}, expected ${depth}`);
  }
  return out;
}

/** Long-poll samples: [wake ms, send round trip ms] each, one waiter at a time on a fresh mailbox. */
async function longPollSamples(url, count) {
  const call = httpClient(url);
  const wake = [];
  const send = [];
  for (let i = 0; i < count; i++) {
    const receiver = box("poll");
    await phases.send(call, receiver, 1); // start the object (untimed)
    await phases.fetchAck(call, receiver, 1);
    const waiting = call("fetch", form({ receiver, wait: "10s" })).then(async (res) => [await ok(res, "long poll"), performance.now()]);
    // Give the waiter time to reach its object; the figure starts at the send.
    await pause(150);
    const t0 = performance.now();
    await ok(await call("send", form(item(receiver, i))), "send");
    send.push(performance.now() - t0);
    const [text, t1] = await waiting;
    if (!new URLSearchParams(text).get("mid")) throw new Error("the waiter got no message: no long poll?");
    wake.push(t1 - t0);
  }
  return { wake, send };
}

export async function run({ quick, log }) {
  const no = (reason) => Object.values(NAMES).map((name) => unavailable({ name, unit: "msg/s", baseline: "see group", reason }));
  if (!existsSync(START)) return no("tests/worker/start-miniflare.js is missing");
  const { startWorker } = await import(START.href);
  const size = quick ? { n: 30, batches: 3 } : { n: 150, batches: 10 };
  const rounds = quick ? 3 : 7;
  const real = await startWorker({ env: { PANDORA_ADMIN: "off" } });
  const sql = await startSql();
  try {
    const calls = { real: httpClient(real.url), sql: httpClient(sql.url) };
    const samples = { real: {}, sql: {} };
    for (let r = -1; r < rounds; r++) {
      const got = {};
      for (const v of r % 2 ? ["real", "sql"] : ["sql", "real"]) got[v] = await round(calls[v], size, v);
      log(`  ${r < 0 ? "warm-up" : `round ${r + 1}/${rounds}`}: worker send ${got.real.send.toFixed(0)}/s fetch+ack ${got.real.fetchAck.toFixed(0)}/s sendBatch ${got.real.sendBatch.toFixed(0)} msg/s fetch+ackBatch ${got.real.fetchAckBatch.toFixed(0)} msg/s | SQL send ${got.sql.send.toFixed(0)}/s sendBatch ${got.sql.sendBatch.toFixed(0)} fetch+ackBatch ${got.sql.fetchAckBatch.toFixed(0)} msg/s`);
      if (r < 0) continue;
      for (const v of ["real", "sql"]) for (const [k, x] of Object.entries(got[v])) if (typeof x === "number") (samples[v][k] ??= []).push(x);
    }

    const counted = await countedServer();
    const realRows = await rowsPerMessage(counted.call, async () => counted.rows(), size);
    const sqlRows = await rowsPerMessage(calls.sql, async (receiver) => JSON.parse(await ok(await fetch(`${sql.url}/api/rows?receiver=${encodeURIComponent(receiver)}`), "rows")).rowsWritten, size);
    log(`  rows/msg: worker send ${realRows.send} sendBatch ${realRows.sendBatch} fetch+ackBatch ${realRows.fetchAckBatch} | SQL ${sqlRows.send} ${sqlRows.sendBatch} ${sqlRows.fetchAckBatch}`);

    const poll = await longPollSamples(real.url, quick ? 5 : 21);
    log(`  long poll wake ms: ${poll.wake.map((x) => x.toFixed(1)).join(" ")}`);

    const depth = quick ? 10_000 : 100_000;
    // The object's first stats of a mailbox scans it; later ones count its mirror.
    const [statsFirst, ...statsReal] = await statsSamples(real.url, depth, 8);
    const statsSql = await statsSamples(sql.url, depth, 7);
    log(`  stats at ${depth}: worker first ${statsFirst.toFixed(0)} ms, then ${statsReal.map((x) => x.toFixed(0)).join(" ")} ms | SQL ${statsSql.map((x) => x.toFixed(0)).join(" ")} ms`);

    const note = `one mailbox; ${size.batches} batches of 100 and ${size.n} single requests per round, sequential, one keep-alive connection; DO state in memory`;
    const sqlBase = "hand-written SQL-API DO queue (one table, index by due), same HTTP workload";
    const rowsNote = "Worker: keys put or deleted per write batch, counted around a package Server serving the same requests; SQL: cursor.rowsWritten (includes index rows)";
    return [
      figure({ name: NAMES.sendBatch, unit: "msg/s", samples: samples.real.sendBatch, baseline: "single sends, same Worker, same run", baselineSamples: samples.real.send, target: { text: "≥ 5,000 msg/s", met: (e) => e.value >= 5000 }, note }),
      figure({ name: NAMES.fetchAckBatch, unit: "msg/s", samples: samples.real.fetchAckBatch, baseline: "single fetch+ack pairs, same Worker, same run", baselineSamples: samples.real.fetchAck, target: { text: "≥ 2,000 msg/s", met: (e) => e.value >= 2000 }, note }),
      figure({ name: NAMES.sqlSendBatch, unit: "msg/s", samples: samples.real.sendBatch, baseline: sqlBase, baselineSamples: samples.sql.sendBatch, note }),
      figure({ name: NAMES.sqlFetchAck, unit: "msg/s", samples: samples.real.fetchAckBatch, baseline: sqlBase, baselineSamples: samples.sql.fetchAckBatch, note }),
      figure({ name: NAMES.sqlSend, unit: "msg/s", samples: samples.real.send, baseline: sqlBase, baselineSamples: samples.sql.send, note }),
      figure({ name: NAMES.rowsSend, unit: "rows/msg", better: "lower", samples: [realRows.send], baseline: "SQL-API DO queue", baselineValue: sqlRows.send, note: rowsNote }),
      figure({ name: NAMES.rowsBatch, unit: "rows/msg", better: "lower", samples: [realRows.sendBatch], baseline: "SQL-API DO queue", baselineValue: sqlRows.sendBatch, note: rowsNote }),
      figure({ name: NAMES.rowsFetchAck, unit: "rows/msg", better: "lower", samples: [realRows.fetchAckBatch], baseline: "SQL-API DO queue", baselineValue: sqlRows.fetchAckBatch, note: rowsNote }),
      figure({
        name: `${NAMES.stats} (${depth.toLocaleString("en")} ready)`, unit: "ms (lower)", better: "lower", samples: statsReal,
        baseline: "SQL-API DO queue: one aggregate SELECT over its table", baselineSamples: statsSql,
        // The target is for 100k messages: a quick run's smaller mailbox says nothing about it.
        ...(quick ? {} : { target: { text: "≤ 50 ms", met: (e) => e.value <= 50 } }),
        note: `GET …/stats round trip after the first: the object's Server is its storage's only writer, so its first stats of the mailbox lists the mailbox's index (${statsFirst.toFixed(0)} ms this run) and keeps those rows in memory from its own writes; later calls read no storage`,
      }),
      figure({ name: NAMES.longPoll, unit: "ms (lower)", better: "lower", samples: poll.wake, baseline: "the send's own round trip, same samples", baselineSamples: poll.send, target: { text: "≤ 100 ms", met: (e) => e.value <= 100 }, note: "from the start of a send to the reply of a fetch waiting (wait=10s) on the same mailbox; one waiter at a time" }),
    ];
  } finally {
    await sql.dispose();
    await real.dispose();
  }
}
