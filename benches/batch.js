// (11) Node, built-in memory store: messages/s into one mailbox with
// `sendBatch` of 100 against single `send`s of the same bodies, and out of it
// with `fetchBatch(100)` + `ackBatch` against `fetchLatest` + `ack` pairs.
// Each round: a fresh Server per variant, N messages in, then all N out; the
// rounds alternate which variant goes first.

import { Server } from "pandora-mq";
import { figure } from "./lib/results.js";
import { interleaved, now, perSecond, settle } from "./lib/timing.js";
import { bodyOf, RECEIVER, SENDER, simulatedClock } from "./lib/workload.js";

export const title = "Node built-in store: batches of 100 vs single calls";

const BATCH = 100;
const item = (/** @type {number} */ i) => ({ sender: SENDER, receiver: RECEIVER, body: bodyOf(i) });

/** N messages through one fresh server, by batches or one call per message: `{ send, drain }` in msg/s. */
async function round(/** @type {boolean} */ batched, /** @type {number} */ n) {
  const clock = simulatedClock();
  const server = new Server({ clock: clock.read });
  let t0 = now();
  for (let i = 0; i < n; i += batched ? BATCH : 1) {
    clock.t++;
    if (batched) await server.sendBatch(Array.from({ length: Math.min(BATCH, n - i) }, (_, k) => item(i + k)));
    else await server.send(item(i));
  }
  const send = perSecond(n, now() - t0);
  t0 = now();
  for (let drained = 0; drained < n;) {
    clock.t++;
    if (batched) {
      const got = await server.fetchBatch(RECEIVER, { max: BATCH });
      if (got.length === 0) throw new Error(`queue empty after ${drained} of ${n}`);
      const acks = await server.ackBatch(got.map((m) => ({ mid: m.mid, lid: m.lid, status: "confirmed" })));
      if (!acks.every((a) => a.ok)) throw new Error("an ack of the batch failed");
      drained += got.length;
    } else {
      const m = await server.fetchLatest(RECEIVER);
      if (m === null) throw new Error(`queue empty after ${drained} of ${n}`);
      await server.ack(m.mid, m.lid, "confirmed");
      drained++;
    }
  }
  return { send, drain: perSecond(n, now() - t0) };
}

export async function run({ quick, log }) {
  const n = quick ? 2_000 : 20_000;
  const rounds = quick ? 3 : 7;
  log(`  ${n} messages per round into one mailbox, ${rounds} rounds`);
  const samples = await interleaved({ rounds, log }, {
    batch: async () => {
      await settle();
      return round(true, n);
    },
    single: async () => {
      await settle();
      return round(false, n);
    },
  });
  const note = `${n} messages/round into one mailbox, fresh server per round`;
  return [
    figure({
      name: "node built-in store: sendBatch(100)",
      unit: "msg/s",
      samples: samples.batch.send,
      baseline: "single sends",
      baselineSamples: samples.single.send,
      note,
    }),
    figure({
      name: "node built-in store: fetchBatch(100)+ackBatch",
      unit: "msg/s",
      samples: samples.batch.drain,
      baseline: "fetchLatest+ack pairs",
      baselineSamples: samples.single.drain,
      note,
    }),
  ];
}
