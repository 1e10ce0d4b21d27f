// (9) Chromium IndexedDB: messages/s into one mailbox with `sendBatch` of 100
// against single `send`s of the same bodies, same page, same Server setup,
// fresh database per round (target: batches ≥ 10× single sends). Each
// single send is its own Web Lock and IndexedDB transaction (2 reads + 1
// write); a batch of 100 is one lock and one transaction for all of them.
// Then `fetchBatch(100)` + `ackBatch` out of it against fetchLatest + ack.

import { fileURLToPath } from "node:url";
import { launch, missing } from "./lib/chromium.js";
import { figure, unavailable } from "./lib/results.js";
import { startStaticServer } from "../tests/browser/support/static-server.js";

export const title = "Chromium: IndexedDB sendBatch(100) vs single sends";

const PKG = fileURLToPath(new URL("../", import.meta.resolve("pandora-mq")));
const NAMES = { send: "chromium IndexedDB: sendBatch(100)", drain: "chromium IndexedDB: fetchBatch(100)+ackBatch" };

/** Runs in the page: one round of one variant on a fresh database. Self-contained (Playwright sends only the source). */
async function roundInPage({ variant, n, round }) {
  const pkg = await import("/pandora-mq/entry/browser.js");
  const RECEIVER = "bob@example.com";
  const item = (i) => ({ sender: "alice@example.com", receiver: RECEIVER, body: { topic: "orders", id: i, payload: "x".repeat(80) } });
  const rate = (count, t0) => (count * 1000) / (performance.now() - t0);
  const name = `pandora-batch-bench-${variant}-${round}-${Date.now()}`;
  const storage = pkg.indexedDbStorage(name);
  const server = new pkg.Server({ storage });
  let t0 = performance.now();
  if (variant === "batch") {
    for (let i = 0; i < n; i += 100) await server.sendBatch(Array.from({ length: Math.min(100, n - i) }, (_, k) => item(i + k)));
  } else {
    for (let i = 0; i < n; i++) await server.send(item(i));
  }
  const send = rate(n, t0);
  t0 = performance.now();
  let drained = 0;
  if (variant === "batch") {
    while (drained < n) {
      const got = await server.fetchBatch(RECEIVER, { max: 100 });
      if (got.length === 0) throw new Error(`queue empty after ${drained}`);
      const acks = await server.ackBatch(got.map((m) => ({ mid: m.mid, lid: m.lid, status: "confirmed" })));
      if (!acks.every((a) => a.ok)) throw new Error("an ack failed");
      drained += got.length;
    }
  } else {
    for (; drained < n; drained++) {
      const m = await server.fetchLatest(RECEIVER);
      if (m === null) throw new Error(`queue empty after ${drained}`);
      await server.ack(m.mid, m.lid, "confirmed");
    }
  }
  const drain = rate(n, t0);
  await storage.close();
  await pkg.deleteIndexedDb(name);
  return { send, drain };
}

export async function run({ quick, log }) {
  const why = missing();
  if (why) return Object.values(NAMES).map((name) => unavailable({ name, unit: "msg/s", baseline: "single calls", reason: why }));
  const n = quick ? 200 : 1000;
  const rounds = quick ? 3 : 5;
  const web = await startStaticServer({ "/pandora-mq/": PKG });
  const chromium = await launch();
  try {
    const page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    page.on("pageerror", (e) => log(`  [page error] ${e}`));
    await page.goto(`${web.origin}/`);
    log(`  ${n} messages per round, ${rounds} rounds`);
    const samples = { batch: { send: [], drain: [] }, single: { send: [], drain: [] } };
    for (let r = -1; r < rounds; r++) {
      const order = r % 2 ? ["batch", "single"] : ["single", "batch"];
      const got = {};
      for (const variant of order) got[variant] = await page.evaluate(roundInPage, { variant, n, round: r + 1 });
      log(`  ${r < 0 ? "warm-up" : `round ${r + 1}/${rounds}`}: sendBatch ${got.batch.send.toFixed(0)}/s vs send ${got.single.send.toFixed(0)}/s | fetchBatch+ackBatch ${got.batch.drain.toFixed(0)}/s vs fetch+ack ${got.single.drain.toFixed(0)}/s`);
      if (r < 0) continue;
      for (const v of ["batch", "single"]) for (const k of ["send", "drain"]) samples[v][k].push(got[v][k]);
    }
    const note = `Chromium ${chromium.version}; ${n} messages/round into one mailbox, fresh database per round`;
    return [
      figure({
        name: NAMES.send, unit: "msg/s", samples: samples.batch.send, baseline: "single sends (same page)",
        baselineSamples: samples.single.send, target: { text: "≥ 10×", met: (e) => e.ratio >= 10 }, note,
      }),
      figure({
        name: NAMES.drain, unit: "msg/s", samples: samples.batch.drain, baseline: "fetchLatest + ack (same page)",
        baselineSamples: samples.single.drain, note,
      }),
    ];
  } finally {
    await chromium.close();
    await web.close();
  }
}
