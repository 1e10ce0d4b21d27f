#!/usr/bin/env node
// Where the time of benchmark (1) goes: profiles the send loop and the
// fetch+ack loop of `new Server({ clock })` (built-in store) in-process with
// the V8 sampling profiler (node:inspector), after a warm-up, and prints self
// time per layer (wasm, wasm-bindgen glue, package JS, GC, V8/Node) and the top
// functions. Not part of run.js: profiling slows what it measures.
//
//   node benches/profile.js                      the installed package (node_modules/pandora-mq)
//   node benches/profile.js --package <dir>      another build of the package, e.g. one whose
//                                                wasm keeps its name section (wasm-opt -g) so
//                                                wasm functions show by name
//   node benches/profile.js --n 50000 --save <dir>   message count; also write the .cpuprofile files

import { writeFileSync, mkdirSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { formatSummary, summariseProfile } from "./lib/cpuprofile.js";
import { drain, fill, simulatedClock } from "./lib/workload.js";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const n = Number(opt("n", 50_000));
const dir = opt("package");
const save = opt("save");
const entry = dir ? pathToFileURL(join(resolve(dir), "entry/node.js")).href : import.meta.resolve("pandora-mq");
const packageRoot = new URL("../", entry).href;
const { Server } = await import(entry);

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 }); // µs

async function profiled(label, fn) {
  await session.post("Profiler.start");
  await fn();
  const { profile } = await session.post("Profiler.stop");
  if (save) {
    mkdirSync(save, { recursive: true });
    writeFileSync(join(save, `${label}.cpuprofile`), JSON.stringify(profile));
  }
  return summariseProfile(profile, packageRoot);
}

// Warm-up on a throwaway queue, so the JIT has settled before profiling.
const warm = simulatedClock();
const scratch = new Server({ clock: warm.read });
await fill(scratch, warm, 10_000);
await drain(scratch, warm, 10_000);

const clock = simulatedClock();
const server = new Server({ clock: clock.read });
let rate;
const sends = await profiled("send", async () => (rate = await fill(server, clock, n)));
console.log(formatSummary(`send loop, ${n} messages (${Math.round(rate)}/s under the profiler)`, sends));
const pairs = await profiled("fetch-ack", async () => (rate = await drain(server, clock, n)));
console.log(`\n${formatSummary(`fetch+ack loop, ${n} pairs (${Math.round(rate)}/s under the profiler)`, pairs)}`);
session.disconnect();
