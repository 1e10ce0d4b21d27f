// (4) Memory per queued message in the built-in store, beyond its body, at 1M
// messages: growth of the package's WebAssembly.Memory (benches/lib/wasm-memory.js)
// divided by the number of messages, minus the mean encoded body length.
// Baseline: the plain-JS queue (benches/lib/js-queue.js) holding the same
// messages, measured as growth of V8 heap + ArrayBuffers after a full GC.
// Run with --expose-gc (benches/run.js does). Lower is better.

import { Server } from "pandora-mq";
import { JsQueue } from "./lib/js-queue.js";
import { figure } from "./lib/results.js";
import { now } from "./lib/timing.js";
import { heapInUse, wasmMemoryBytes } from "./lib/wasm-memory.js";
import { bodyOf, fill, RECEIVER, SENDER, simulatedClock } from "./lib/workload.js";

export const title = "Memory per queued message (built-in store) at 1M";

const MiB = 2 ** 20;

function jsBytes() {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Mean length of the encoded bodies of messages from..from+n sent at the clock's times (what the store keeps). */
function meanBodyLength(from, n, startTime) {
  const q = new JsQueue();
  let total = 0;
  for (let i = 0; i < n; i++) total += q.encode(startTime + 1 + i, SENDER, RECEIVER, bodyOf(from + i)).length;
  return total / n;
}

export async function run({ quick, log }) {
  if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc");
  const n = quick ? 100_000 : 1_000_000;
  const warmup = 1_000;
  const label = n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`;

  // Wasm: warm up first (the server's first allocations, the JIT), then fill.
  const clock = simulatedClock();
  const server = new Server({ clock: clock.read });
  await fill(server, clock, warmup);
  const rss0 = process.memoryUsage().rss;
  const before = wasmMemoryBytes();
  const held0 = heapInUse();
  const start = clock.t;
  const quarters = [];
  const t0 = now();
  for (let q = 0; q < 4; q++) {
    const m0 = wasmMemoryBytes();
    await fill(server, clock, n / 4, warmup + (q * n) / 4);
    quarters.push((wasmMemoryBytes() - m0) / (n / 4));
  }
  const seconds = (now() - t0) / 1000;
  const after = wasmMemoryBytes();
  const heldPer = (heapInUse() - held0) / n;
  const rss = process.memoryUsage().rss - rss0;
  const body = meanBodyLength(warmup, n, start);
  const wasmPer = (after - before) / n;
  log(`  wasm: ${n} sends in ${seconds.toFixed(1)} s; memory ${(before / MiB).toFixed(1)} -> ${(after / MiB).toFixed(1)} MiB = ${wasmPer.toFixed(1)} B/message (per quarter: ${quarters.map((x) => x.toFixed(0)).join(", ")}), held by the allocator ${heldPer.toFixed(1)} B/message; rss +${(rss / MiB).toFixed(0)} MiB; mean body ${body.toFixed(1)} B`);

  // Plain JS: the same messages in the baseline queue's Map store.
  const jsClock = simulatedClock();
  const js = new JsQueue({ clock: jsClock.read });
  await fill(js, jsClock, warmup);
  const js0 = jsBytes();
  await fill(js, jsClock, n, warmup);
  const jsPer = (jsBytes() - js0) / n;
  log(`  plain JS: ${js.store.size} entries, ${(jsPer).toFixed(1)} B/message (heap + ArrayBuffers)`);

  const note = `${label} messages, mean encoded body ${body.toFixed(1)} B; wasm ${wasmPer.toFixed(0)} B/msg in total, ${(heldPer - body).toFixed(0)} B/msg beyond body held by the allocator (the rest is its free space and growth headroom; quarters ${quarters.map((x) => x.toFixed(0)).join("/")}), rss +${(rss / MiB).toFixed(0)} MiB, fill ${seconds.toFixed(1)} s; one measurement (deterministic)`;
  return [
    figure({
      name: `memory per queued message beyond body at ${label}`, unit: "B/msg (lower is better)", better: "lower",
      samples: [wasmPer - body], baseline: "plain JS Map store, same data", baselineSamples: [jsPer - body], note,
      target: { text: "≤ 250 B", met: (e) => e.value <= 250 },
    }),
  ];
}
