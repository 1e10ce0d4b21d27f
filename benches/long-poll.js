// (12) Long poll in process, built-in store, real timers: the time from a
// `send` to the wake-up of a `fetchLatest` waiting on that mailbox (`wait`),
// and to the call of a `consume` handler, against the floor of the same run:
// a send followed at once by a fetchLatest that does not wait. Latencies, so
// lower is better; target: median wake-up ≤ 50 ms.

import { Server } from "pandora-mq";
import { figure } from "./lib/results.js";
import { median } from "./lib/stats.js";
import { now } from "./lib/timing.js";
import { bodyOf, RECEIVER, SENDER } from "./lib/workload.js";

export const title = "Long poll in process: send to wake-up";

/** Lets the waiter reach its sleep before the send (a real pause: this is a bench). */
const asleep = () => new Promise((resolve) => setTimeout(resolve, 5));
const send = (/** @type {Server} */ server, /** @type {number} */ i) => server.send({ sender: SENDER, receiver: RECEIVER, body: bodyOf(i) });

/** ms from a send to the return of a fetchLatest that was already waiting. */
async function wakeUp(/** @type {Server} */ server, /** @type {number} */ i) {
  const waiting = server.fetchLatest(RECEIVER, { wait: "10s" });
  await asleep();
  const t0 = now();
  await send(server, i);
  const m = await waiting;
  const ms = now() - t0;
  if (m === null) throw new Error("the waiter gave up before the send woke it");
  await server.ack(m.mid, m.lid, "confirmed");
  return ms;
}

/** ms from a send to a fetchLatest (no wait) returning it: the floor of a delivery. */
async function floor(/** @type {Server} */ server, /** @type {number} */ i) {
  await asleep();
  const t0 = now();
  await send(server, i);
  const m = await server.fetchLatest(RECEIVER);
  const ms = now() - t0;
  await server.ack(m.mid, m.lid, "confirmed");
  return ms;
}

/** ms from each send to the call of a running consumer's handler. */
async function consumerLatencies(/** @type {number} */ n) {
  const server = new Server();
  /** @type {(() => void) | null} */
  let called = null;
  const consumer = server.consume(RECEIVER, () => called?.());
  const samples = [];
  for (let i = 0; i < n; i++) {
    await asleep();
    const handled = new Promise((resolve) => (called = () => resolve(undefined)));
    const t0 = now();
    await send(server, i);
    await handled;
    samples.push(now() - t0);
  }
  consumer.stop();
  const waiting = consumer.done;
  await send(server, n); // answers the consumer's pending poll, so done need not wait 20 s
  await waiting;
  return samples;
}

export async function run({ quick, log }) {
  const n = quick ? 30 : 200;
  const server = new Server();
  const wake = [];
  const base = [];
  for (let i = 0; i < n; i++) {
    // Alternating which goes first, so drift of the machine hits both alike.
    const pair = i % 2 ? [() => floor(server, i), () => wakeUp(server, n + i)] : [() => wakeUp(server, n + i), () => floor(server, i)];
    const [first, second] = [await pair[0](), await pair[1]()];
    (i % 2 ? base : wake).push(first);
    (i % 2 ? wake : base).push(second);
  }
  const consumed = await consumerLatencies(n);
  log(`  ${n} wake-ups each; medians: waiter ${median(wake).toFixed(3)} ms, consume ${median(consumed).toFixed(3)} ms, floor ${median(base).toFixed(3)} ms`);
  const note = `${n} sends, each to a mailbox with one waiter; built-in store, real timers`;
  return [
    figure({
      name: "long poll in process: send → fetchLatest wake-up",
      unit: "ms",
      better: "lower",
      samples: wake,
      baseline: "send then fetchLatest without wait",
      baselineSamples: base,
      target: { text: "median ≤ 50 ms", met: (e) => e.value <= 50 },
      note,
    }),
    figure({
      name: "consume in process: send → handler called",
      unit: "ms",
      better: "lower",
      samples: consumed,
      baseline: "send then fetchLatest without wait",
      baselineSamples: base,
      target: { text: "median ≤ 50 ms", met: (e) => e.value <= 50 },
      note,
    }),
  ];
}

