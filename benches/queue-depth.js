// (3) Fetch latency and send throughput at queue depth 1k, 100k and 1M
// (built-in store). One queue is filled step by step with sends whose
// receivedAt spread (the simulated clock advances 1 ms per send); at each depth,
// every round sends a batch (send throughput at that depth) and then fetches
// and confirms as many (each pair timed on its own), so the depth stays put.
// Flat latency from 1k to 1M is what an O(log n) fetch looks like.

import { Server } from "pandora-mq";
import { figure } from "./lib/results.js";
import { summarise } from "./lib/stats.js";
import { now } from "./lib/timing.js";
import { wasmMemoryBytes } from "./lib/wasm-memory.js";
import { drain, fill, RECEIVER, simulatedClock } from "./lib/workload.js";

export const title = "Queue depth: fetch+ack latency and send rate at 1k / 100k / 1M";

const label = (d) => (d >= 1e6 ? `${d / 1e6}M` : d >= 1e3 ? `${d / 1e3}k` : String(d));

export async function run({ quick, log }) {
  const depths = quick ? [1_000, 10_000, 50_000] : [1_000, 100_000, 1_000_000];
  const rounds = quick ? 3 : 7;
  const batch = quick ? 200 : 500;
  // Warm the JIT on a throwaway queue first, so the first depth is not measured cold.
  const warm = simulatedClock();
  const scratch = new Server({ clock: warm.read });
  await fill(scratch, warm, quick ? 2_000 : 10_000);
  await drain(scratch, warm, quick ? 2_000 : 10_000);

  const clock = simulatedClock();
  const server = new Server({ clock: clock.read });
  const memory = wasmMemoryBytes;

  const at = {};
  let depth = 0;
  let sent = 0;
  for (const target of depths) {
    const t0 = now();
    const rate = await fill(server, clock, target - depth, sent);
    const fillSeconds = (now() - t0) / 1000;
    sent += target - depth;
    log(`  filled ${label(depth)} -> ${label(target)}: ${fillSeconds.toFixed(1)} s (${Math.round(rate)} sends/s), wasm memory ${(memory() / 2 ** 20).toFixed(0)} MiB`);
    depth = target;

    const fetchUs = [];
    const pairUs = [];
    const sendRate = [];
    for (let r = -1; r < rounds; r++) {
      const rate = await fill(server, clock, batch, sent);
      sent += batch;
      const f = [];
      const p = [];
      for (let i = 0; i < batch; i++) {
        clock.t++;
        const t1 = now();
        const m = await server.fetchLatest(RECEIVER);
        const t2 = now();
        clock.t++;
        await server.ack(m.mid, m.lid, "confirmed");
        const t3 = now();
        f.push((t2 - t1) * 1000);
        p.push((t3 - t1) * 1000);
      }
      if (r < 0) continue; // warm-up
      fetchUs.push(summarise(f).median);
      pairUs.push(summarise(p).median);
      sendRate.push(rate);
    }
    at[target] = { fetchUs, pairUs, sendRate, fillSeconds, fillRate: rate, memory: memory() };
    log(`  depth ${label(target)}: fetch+ack median ${summarise(pairUs).median.toFixed(1)} µs, fetch ${summarise(fetchUs).median.toFixed(1)} µs, send ${Math.round(summarise(sendRate).median)}/s`);
  }

  const [ref, ...deeper] = depths;
  const base = at[ref];
  const entries = [
    figure({
      name: `queue depth ${label(ref)}: fetch+ack latency`, unit: "µs/pair (lower is better)", better: "lower",
      samples: base.pairUs, baseline: "(reference for the depth ratios)", note: `median of ${batch} pairs per round`,
    }),
  ];
  for (const d of deeper) {
    const note = `fill ${label(d)} sends took ${at[d].fillSeconds.toFixed(1)} s (${Math.round(at[d].fillRate)}/s over the last step); wasm memory ${(at[d].memory / 2 ** 20).toFixed(0)} MiB`;
    const last = d === deeper[deeper.length - 1];
    entries.push(
      figure({
        name: `queue depth ${label(d)}: fetch+ack latency`, unit: "µs/pair (lower is better)", better: "lower",
        samples: at[d].pairUs, baseline: `same at depth ${label(ref)}`, baselineSamples: base.pairUs, note,
        target: last ? { text: `${label(d)}/${label(ref)} ≤ 1.5`, met: (e) => e.ratio <= 1.5 } : undefined,
      }),
      figure({
        name: `queue depth ${label(d)}: fetch latency`, unit: "µs (lower is better)", better: "lower",
        samples: at[d].fetchUs, baseline: `same at depth ${label(ref)}`, baselineSamples: base.fetchUs, note,
        target: last ? { text: `${label(d)}/${label(ref)} ≤ 1.5`, met: (e) => e.ratio <= 1.5 } : undefined,
      }),
      figure({
        name: `queue depth ${label(d)}: send`, unit: "msg/s",
        samples: at[d].sendRate, baseline: `same at depth ${label(ref)}`, baselineSamples: base.sendRate, note,
      }),
    );
  }
  return entries;
}

