// (15) Long poll across servers on one shared store: the time from a `send`
// through one Server to the wake-up of a `fetchLatest` waiting in another
// Server on the same queue (its own connection: a second SQLite connection
// to the file, a second pg Pool), against the same wake-up within one Server
// on that store, measured in the same run. SQLite: the WAL's change seen by
// fs.watch and PRAGMA data_version; PostgreSQL: LISTEN/NOTIFY. Both servers
// live in this process, on separate connections, as two processes have them
// (tests/serve/wake-*.test.js run the waiter in processes of its own).
// Latencies, so lower is better; target: median ≤ 50 ms, as in process.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Server, postgresStorage, sqliteStorage } from "pandora-mq";
import { figure } from "./lib/results.js";
import { median } from "./lib/stats.js";
import { now } from "./lib/timing.js";
import { openSqlite } from "./lib/sqlite-driver.js";
import { bodyOf, RECEIVER, SENDER } from "./lib/workload.js";
import { startPostgres } from "../tests/serve/support/postgres.js";

export const title = "Long poll across servers on one store: send to wake-up";

/** Lets the waiter reach its sleep before the send (a real pause: this is a bench). */
const asleep = () => new Promise((resolve) => setTimeout(resolve, 20));

/** ms from a send through `sender` to the return of a fetchLatest already waiting in `waiter`. */
async function wakeUp(sender, waiter, i) {
  const waiting = waiter.fetchLatest(RECEIVER, { wait: "10s" });
  await asleep();
  const t0 = now();
  await sender.send({ sender: SENDER, receiver: RECEIVER, body: bodyOf(i) });
  const m = await waiting;
  const ms = now() - t0;
  if (m === null) throw new Error("the waiter gave up before the send woke it");
  await waiter.ack(m.mid, m.lid, "confirmed");
  return ms;
}

/** Alternating across and within, so drift of the machine hits both alike. */
async function sample(a, b, n) {
  const across = [];
  const within = [];
  for (let i = 0; i < n; i++) {
    if (i % 2) {
      across.push(await wakeUp(a, b, 2 * i));
      within.push(await wakeUp(a, a, 2 * i + 1));
    } else {
      within.push(await wakeUp(a, a, 2 * i));
      across.push(await wakeUp(a, b, 2 * i + 1));
    }
  }
  return { across, within };
}

export async function run({ quick, log }) {
  const n = quick ? 20 : 100;
  const entries = [];
  const dir = mkdtempSync(path.join(tmpdir(), "pandora-bench-wake-"));
  const pg = await startPostgres({ durable: true });
  const { default: pgModule } = await import("pg");
  const pools = [new pgModule.Pool({ connectionString: pg.url, max: 2 }), new pgModule.Pool({ connectionString: pg.url, max: 2 })];
  try {
    const file = path.join(dir, "q.db");
    const sqlite = [sqliteStorage((await openSqlite(file)).db), sqliteStorage((await openSqlite(file)).db)];
    const postgres = pools.map((pool) => postgresStorage(pool, { table: "wake_bench" }));
    await postgres[0].ready;
    await postgres[1].ready;
    for (const [store, storages] of [["SQLite", sqlite], ["PostgreSQL", postgres]]) {
      const [a, b] = storages.map((storage) => new Server({ storage }));
      await wakeUp(a, b, -1); // warm-up: the first wake-up opens the watch or the LISTEN connection
      const { across, within } = await sample(a, b, n);
      log(`  ${store}: ${n} wake-ups each; medians: across servers ${median(across).toFixed(2)} ms, within one ${median(within).toFixed(2)} ms`);
      entries.push(figure({
        name: `long poll across servers on ${store}: send → fetchLatest wake-up`,
        unit: "ms",
        better: "lower",
        samples: across,
        baseline: "the same wake-up within one Server",
        baselineSamples: within,
        target: { text: "median ≤ 50 ms", met: (e) => e.value <= 50 },
        note: `${n} sends, each to a mailbox with one waiter in the other Server; two connections in one process`,
      }));
      for (const storage of storages) await storage.close();
    }
  } finally {
    await Promise.all(pools.map((p) => p.end()));
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return entries;
}
