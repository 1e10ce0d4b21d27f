// (1) Node, built-in memory store: sends/s and fetch+ack pairs/s of
// `new Server({ clock })`, against the plain-JS baseline (benches/lib/js-queue.js:
// the same body encoding, node:crypto SHA-1, and the same store reads/writes per
// message, in a Map-based ordered store). Each round: a fresh queue, N sends
// (each awaited), then N fetch+ack pairs; the rounds alternate which goes first.

import { Server } from "pandora-mq";
import { JsQueue } from "./lib/js-queue.js";
import { orderedStorage } from "./lib/ordered-store.js";
import { figure } from "./lib/results.js";
import { interleaved, settle } from "./lib/timing.js";
import { bodyOf, fillAndDrain, RECEIVER, SENDER, T0 } from "./lib/workload.js";

export const title = "Node: built-in memory store vs plain JS";

/** Every key and value of an ordered store, sorted, as one comparable string. */
const snapshot = (store) => JSON.stringify([...store.values.keys()].sort().map((k) => [k, [...store.values.get(k)]]));

/**
 * Checks that the baseline builds the very body the server stores (same SHA-1 =
 * same mid) and, after a send, a fetch and a confirm, holds byte for byte the
 * rows the server wrote through a JS storage.
 */
export async function checkBaseline() {
  const random = (bytes) => bytes.fill(0x5a);
  const storage = orderedStorage();
  const server = new Server({ clock: () => T0 + 123, random, storage });
  const js = new JsQueue({ clock: () => T0 + 123, random });
  const input = { sender: SENDER, receiver: RECEIVER, body: bodyOf(42) };
  const [a, b] = [await server.send(input), await js.send(input)];
  const stored = await server.fetchBlob(a.mid);
  const ours = js.encode(T0 + 123, SENDER, RECEIVER, bodyOf(42));
  let sameRows = snapshot(storage.store) === snapshot(js.store);
  const [x, y] = [await server.fetchLatest(RECEIVER), await js.fetchLatest(RECEIVER)];
  sameRows &&= snapshot(storage.store) === snapshot(js.store);
  await server.ack(x.mid, x.lid, "confirmed");
  await js.ack(y.mid, y.lid, "confirmed");
  sameRows &&= snapshot(storage.store) === snapshot(js.store);
  return { same: a.mid === b.mid && stored === ours && sameRows, bodyLength: stored.length, stored, ours };
}

export async function run({ quick, log }) {
  const n = quick ? 2_000 : 20_000;
  const rounds = quick ? 3 : 7;
  const check = await checkBaseline();
  log(`  baseline body check: ${check.same ? "identical to the server's (same SHA-1, same rows after send, fetch, confirm)" : `DIFFERENT\n    server: ${check.stored}\n    js:     ${check.ours}`}; encoded body ${check.bodyLength} bytes`);
  log(`  ${n} messages per round, ${rounds} rounds`);

  const samples = await interleaved({ rounds, log }, {
    wasm: async () => {
      await settle();
      return fillAndDrain((clock) => new Server({ clock }), n);
    },
    js: async () => {
      await settle();
      return fillAndDrain((clock) => new JsQueue({ clock }), n);
    },
  });

  const note = `${n} messages/round, body ${check.bodyLength} B encoded; baseline body ${check.same ? "verified identical" : "NOT identical"}`;
  return [
    figure({
      name: "node built-in store: send",
      unit: "msg/s",
      samples: samples.wasm.send,
      baseline: "plain JS (SHA-1 + Map store)",
      baselineSamples: samples.js.send,
      target: { text: "≥ 200k/s and ≥ 0.5×", met: (e) => e.value >= 200_000 && e.ratio >= 0.5 },
      note,
    }),
    figure({
      name: "node built-in store: fetch+ack",
      unit: "pairs/s",
      samples: samples.wasm.fetchAck,
      baseline: "plain JS (Map store)",
      baselineSamples: samples.js.fetchAck,
      target: { text: "≥ 100k/s and ≥ 0.5×", met: (e) => e.value >= 100_000 && e.ratio >= 0.5 },
      note,
    }),
  ];
}
