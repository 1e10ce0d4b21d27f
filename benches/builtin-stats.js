// (14) stats of a 100k mailbox on the built-in store, which counts on every
// call by walking the mailbox's index rows in place inside the wasm (no mirror:
// it would cost memory per message). Baseline, same run: the same mailbox on
// a JS storage (memoryStorage, no soleWriter), whose scan copies each row out
// of JS through list().

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
    // A send between calls: each answer is counted afresh, not cached.
    if (i + 1 < times) {
      await server.send({ sender: "s", receiver: "other", body: { i } });
    }
  }
  return out;
}

export async function run({ quick, log }) {
  const depth = quick ? 10_000 : 100_000;
  const builtIn = await samples(new Server(), depth, 8);
  const scanning = await samples(new Server({ storage: memoryStorage() }), depth, 8);
  const slowest = Math.max(...builtIn);
  log(`  stats at ${depth}: built-in ${builtIn.map((x) => x.toFixed(1)).join(" ")} ms | JS storage ${scanning.map((x) => x.toFixed(0)).join(" ")} ms`);
  return [
    figure({
      name: `built-in store: stats of a deep mailbox (${depth.toLocaleString("en")} ready)`, unit: "ms (lower)", better: "lower",
      samples: builtIn, baseline: "memoryStorage() without soleWriter: a scan through list()", baselineSamples: scanning,
      ...(quick ? {} : { target: { text: "≤ 50 ms, every call", met: () => slowest <= 50 } }),
      note: `a walk of the rows in place on every call; the slowest of 8 took ${slowest.toFixed(1)} ms this run`,
    }),
  ];
}
