// (2) The same workload as (1) through a JS storage: the cost of the wasm↔JS
// boundary (every get/list/write becomes a JS call and an awaited Promise, and
// keys and values are copied across). Measured in the same rounds as the
// built-in store, which is the baseline here:
// - `memoryStorage()` from the package (the reference adapter: one sorted
//   array, so each insert is a binary search plus an O(n) splice);
// - a thin Map-based storage (benches/lib/ordered-store.js, O(1) amortised),
//   which isolates the boundary itself from the adapter's algorithm.

import { memoryStorage, Server } from "pandora-mq";
import { orderedStorage } from "./lib/ordered-store.js";
import { figure } from "./lib/results.js";
import { interleaved, settle } from "./lib/timing.js";
import { drain, fill, fillAndDrain, simulatedClock } from "./lib/workload.js";

export const title = "Node: JS storage callbacks vs built-in store";

/** Wraps a storage to count its calls and written entries. */
function counting(inner) {
  const counts = { get: 0, list: 0, write: 0, puts: 0, deletes: 0 };
  return {
    counts,
    get: (k) => (counts.get++, inner.get(k)),
    list: (o) => (counts.list++, inner.list(o)),
    write: (batch) => {
      counts.write++;
      for (const [, v] of batch) v === null ? counts.deletes++ : counts.puts++;
      return inner.write(batch);
    },
  };
}

/** Storage calls per send and per fetch+ack pair, averaged over `n` messages. */
export async function callsPerMessage(n = 1000) {
  const storage = counting(memoryStorage());
  const clock = simulatedClock();
  const server = new Server({ clock: clock.read, storage });
  await fill(server, clock, n);
  const send = { ...storage.counts };
  for (const k of Object.keys(storage.counts)) storage.counts[k] = 0;
  await drain(server, clock, n);
  const pair = { ...storage.counts };
  const per = (c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v / n]));
  return { send: per(send), fetchAck: per(pair) };
}

const describe = (c) => `${c.get} get, ${c.list} list, ${c.write} write (${c.puts} put + ${c.deletes} delete)`;

export async function run({ quick, log }) {
  const n = quick ? 2_000 : 5_000;
  const rounds = quick ? 3 : 7;
  const calls = await callsPerMessage();
  log(`  storage calls per send: ${describe(calls.send)}; per fetch+ack: ${describe(calls.fetchAck)}`);
  log(`  ${n} messages per round, ${rounds} rounds`);

  const samples = await interleaved({ rounds, log }, {
    builtin: async () => (await settle(), fillAndDrain((clock) => new Server({ clock }), n)),
    memoryStorage: async () => (await settle(), fillAndDrain((clock) => new Server({ clock, storage: memoryStorage() }), n)),
    thin: async () => (await settle(), fillAndDrain((clock) => new Server({ clock, storage: orderedStorage() }), n)),
  });

  const note = `${n} messages/round; per send ${describe(calls.send)}; per fetch+ack ${describe(calls.fetchAck)}`;
  const entries = [];
  for (const [variant, label] of [["memoryStorage", "memoryStorage()"], ["thin", "thin Map storage"]]) {
    entries.push(
      figure({
        name: `node JS storage ${label}: send`, unit: "msg/s",
        samples: samples[variant].send, baseline: "built-in store (1)", baselineSamples: samples.builtin.send, note,
      }),
      figure({
        name: `node JS storage ${label}: fetch+ack`, unit: "pairs/s",
        samples: samples[variant].fetchAck, baseline: "built-in store (1)", baselineSamples: samples.builtin.fetchAck, note,
      }),
    );
  }
  return entries;
}
