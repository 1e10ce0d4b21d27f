// Measures, never asserts: requests per second through Miniflare over one
// keep-alive HTTP connection (Node's fetch reuses it), for send and for
// fetch+ack, with state in memory and on disk. Numbers print as diagnostics.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startWorker } from "./start-miniflare.js";
import { ack, fetchNext, newBox, send } from "./support.js";

const N = Number(process.env.PANDORA_BENCH_N ?? 300);

async function measure(t, label, persist) {
  const worker = await startWorker({ persist });
  try {
    const receiver = newBox("bench");
    // Warm up: the first request compiles the wasm and creates the object.
    await send(worker.url, { sender: "a@x", receiver, warm: "up" });
    await ack(worker.url, ...(await leaseOf(worker.url, receiver)));

    let start = performance.now();
    for (let i = 0; i < N; i++) await send(worker.url, { sender: "a@x", receiver, n: String(i) });
    const sends = N / ((performance.now() - start) / 1000);

    start = performance.now();
    for (let i = 0; i < N; i++) {
      const res = await ack(worker.url, ...(await leaseOf(worker.url, receiver)));
      assert.equal(res.status, 200);
    }
    const pairs = N / ((performance.now() - start) / 1000);

    const line = `${label}: send ${sends.toFixed(0)} req/s; fetch+ack ${pairs.toFixed(0)} pairs/s (${(2 * pairs).toFixed(0)} req/s); n=${N}`;
    t.diagnostic(line);
  } finally {
    await worker.dispose();
  }
}

async function leaseOf(url, receiver) {
  const msg = await fetchNext(url, receiver);
  return [msg.get("mid"), msg.get("lid"), 1];
}

test("throughput, state in memory", { timeout: 120_000 }, (t) => measure(t, "in memory", undefined));

test("throughput, state on disk", { timeout: 120_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "pandora-bench-"));
  try {
    await measure(t, "on disk", dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
