// (14) stats of a 100k mailbox on the built-in store. Its one Server is the
// store's only writer and found it empty, so it keeps every mailbox's index
// rows in memory from its own writes: no stats call reads the store, not even
// the first. Baseline, same run: the same mailbox on a JS storage shared by
// others (memoryStorage, no soleWriter), which scans on every call.

import { Server, memoryStorage } from "pandora-mq";
import { figure } from "./lib/results.js";
import { now } from "./lib/timing.js";

export const title = "stats of a 100k mailbox: built-in store vs a scanning JS storage";

/** Fills `receiver` with `depth` messages (sendBatch of 100), then times `times` stats calls (ms each). */
async function samples(server, depth, times) {
  for (let b = 0; b < depth / 100; b++) {
    const items = Array.from({ length: 100 }, (_, i) => ({ sender: "s", receiver: "deep", body: { n: b * 100 + i } }));
    await server.sendBatch(items);
  }
  const out = [];
  for (let i = 0; i < times; i++) {
    const t0 = now();
    const stats = await server.stats("deep");
    out.push(now() - t0);
    if (stats.ready !== depth) throw new Error(`stats said ready ${stats.ready}, expected ${depth}`);
    // A send between calls: the mirror follows writes, it is not a cached answer.
    if (i + 1 < times) {
      await server.send({ sender: "s", receiver: "other", body: { i } });
    }
  }
  return out;
}

export async function run({ quick, log }) {
  const depth = quick ? 10_000 : 100_000;
  const [first, ...warm] = await samples(new Server(), depth, 8);
  const scanning = await samples(new Server({ storage: memoryStorage() }), depth, 7);
  log(`  stats at ${depth}: built-in first ${first.toFixed(1)} ms, then ${warm.map((x) => x.toFixed(2)).join(" ")} ms | JS storage (scans) ${scanning.map((x) => x.toFixed(0)).join(" ")} ms`);
  return [
    figure({
      name: `built-in store: first stats of a deep mailbox (${depth.toLocaleString("en")} ready)`, unit: "ms (lower)", better: "lower",
      samples: [first], baseline: "memoryStorage() without soleWriter: its first call (a scan)", baselineSamples: scanning.slice(0, 1),
      ...(quick ? {} : { target: { text: "≤ 50 ms", met: (e) => e.value <= 50 } }),
      note: "the Server mirrored the rows as sendBatch wrote them: the first call counts memory too",
    }),
    figure({
      name: `built-in store: stats of a deep mailbox (${depth.toLocaleString("en")} ready)`, unit: "ms (lower)", better: "lower",
      samples: warm, baseline: "memoryStorage() without soleWriter: a scan per call", baselineSamples: scanning,
      ...(quick ? {} : { target: { text: "≤ 50 ms", met: (e) => e.value <= 50 } }),
      note: `calls after the first; the first took ${first.toFixed(1)} ms this run`,
    }),
  ];
}
