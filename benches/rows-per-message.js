// (9) Storage rows per message lifecycle (send + fetch + confirm + the later
// collection of the confirmed record), counted by a store that wraps a JS
// storage: a get reads 1 row, a list reads the rows it returns, a put or a
// delete writes 1 row (how Durable Objects on SQLite bill their key-value
// calls). From the counts: the cost of a million messages at Durable Object
// list prices (1 request each for send, fetch and ack), beside Cloudflare
// Queues' / SQS's published 3 x $0.40 per million.
//
// The lifecycle runs the way a queue is used: N messages sent, fetched and
// confirmed (the clock moving 1 ms per operation), then the clock passes the
// lease plus the dedupe window and N more sends follow, each of which may
// collect one confirmed record in its sweep; `reenqueue` collects what is
// left. The figure is the rows of all of it per message of the first N.
import { memoryStorage, Server } from "pandora-mq";
import { orderedStorage } from "./lib/ordered-store.js";
import { costPerMillion, QUEUES_PER_MESSAGE } from "./lib/durable-object-prices.js";
import { figure } from "./lib/results.js";
import { drain, fill, simulatedClock } from "./lib/workload.js";

export const title = "storage rows per message lifecycle and the Durable Object cost of a million";

/** Counts rows read and written through `inner`. */
export function rowCounting(inner) {
  const rows = { read: 0, written: 0 };
  return {
    rows,
    get: async (k) => {
      rows.read++;
      return inner.get(k);
    },
    list: async (o) => {
      const out = await inner.list(o);
      rows.read += out.length;
      return out;
    },
    write: async (batch) => {
      rows.written += batch.length;
      return inner.write(batch);
    },
  };
}

const LEASE_MS = 300_000;
const WINDOW_MS = 300_000;

/** Rows per lifecycle of `n` messages on `storage`; also the rows of send, fetch+confirm alone. */
export async function lifecycleRows(makeStorage, n) {
  const storage = rowCounting(makeStorage());
  const clock = simulatedClock();
  const server = new Server({ clock: clock.read, storage, defaultLease: LEASE_MS, dedupeWindow: WINDOW_MS });
  await fill(server, clock, n);
  const send = { ...storage.rows };
  await drain(server, clock, n);
  const pair = { read: storage.rows.read - send.read, written: storage.rows.written - send.written };
  clock.t += LEASE_MS + WINDOW_MS + 1;
  const before = { ...storage.rows };
  // The next messages' sends collect confirmed records as they go (counted
  // there only as the deletes they add); reenqueue takes the rest.
  await fill(server, clock, n, n);
  const nextSends = { read: storage.rows.read - before.read, written: storage.rows.written - before.written };
  const beforeSweep = { ...storage.rows };
  await server.reenqueue();
  const rest = storage.rows.written - beforeSweep.written;
  const collected = nextSends.written - send.written + rest;
  return {
    send: { read: send.read / n, written: send.written / n },
    fetchConfirm: { read: pair.read / n, written: pair.written / n },
    collectedBySends: (nextSends.written - send.written) / n,
    lifecycle: { read: (send.read + pair.read) / n, written: (send.written + pair.written + collected) / n },
  };
}

export async function run({ quick, log }) {
  const n = quick ? 500 : 5_000;
  const entries = [];
  for (const [label, make] of [["memoryStorage()", memoryStorage], ["thin Map storage", orderedStorage]]) {
    const r = await lifecycleRows(make, n);
    log(`  ${label}: send ${r.send.read} read / ${r.send.written} written, fetch+confirm ${r.fetchConfirm.read} / ${r.fetchConfirm.written}, `
      + `${(r.collectedBySends * 100).toFixed(1)}% of confirmed records collected by later sends, lifecycle ${r.lifecycle.read} read / ${r.lifecycle.written} written`);
    const note = `${n} messages; send ${r.send.read} rows read + ${r.send.written} written, fetch+confirm ${r.fetchConfirm.read} + ${r.fetchConfirm.written}; `
      + `collection of the confirmed record: ${(r.collectedBySends * 100).toFixed(1)}% by later sends' sweeps, the rest by reenqueue`;
    entries.push(
      figure({ name: `rows written per message lifecycle (${label})`, unit: "rows (lower is better)", better: "lower", samples: [r.lifecycle.written], baseline: "–", note }),
      figure({ name: `rows read per message lifecycle (${label})`, unit: "rows (lower is better)", better: "lower", samples: [r.lifecycle.read], baseline: "–", note }),
    );
    if (label === "memoryStorage()") {
      const usd = costPerMillion({ written: r.lifecycle.written, read: r.lifecycle.read, requests: 3 });
      entries.push(figure({
        name: "cost of 1M messages on a Durable Object (rows written $1.00/M, read $0.001/M, 3 requests at $0.15/M)",
        unit: "USD (lower is better)", better: "lower", samples: [usd],
        baseline: "Cloudflare Queues / SQS: 3 operations x $0.40/M", baselineValue: QUEUES_PER_MESSAGE * 1e6,
        note: `${r.lifecycle.written} rows written x $1.00/M + ${r.lifecycle.read} rows read x $0.001/M + 3 requests x $0.15/M; list prices, no free tier`,
      }));
    }
  }
  return entries;
}
