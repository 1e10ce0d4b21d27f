// (7) The wasm binary: size raw and gzip (node:zlib level 9) of
// node_modules/pandora-mq/pandora_mq_bg.wasm, and cold start in Node: each
// sample is a fresh `node` process (benches/lib/cold-start.js) timing its first
// WebAssembly work, against a minimal wasm module instantiated the same way.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { figure } from "./lib/results.js";

export const title = "wasm size and cold instantiation";

const COLD = fileURLToPath(new URL("./lib/cold-start.js", import.meta.url));
const cold = (mode) => JSON.parse(execFileSync(process.execPath, [COLD, mode], { encoding: "utf8" }));

export async function run({ quick, log }) {
  const wasmUrl = new URL("../pandora_mq_bg.wasm", import.meta.resolve("pandora-mq"));
  const bytes = readFileSync(wasmUrl);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const KB = 1024;
  log(`  ${fileURLToPath(wasmUrl)}: ${bytes.length} B raw, ${gzip} B gzip -9`);

  const rounds = quick ? 3 : 7;
  const samples = { minimal: [], init: [], entry: [], importMs: [] };
  cold("minimal"); // the first spawn pays for the file cache
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? ["minimal", "package", "entry"] : ["entry", "package", "minimal"];
    const got = {};
    for (const mode of order) got[mode] = cold(mode);
    samples.minimal.push(got.minimal.total);
    samples.init.push(got.package.total);
    samples.importMs.push(got.package.importMs);
    samples.entry.push(got.entry.total);
    log(`  round ${r + 1}/${rounds}: minimal ${got.minimal.total.toFixed(2)} ms | initSync ${got.package.total.toFixed(2)} ms (glue import ${got.package.importMs.toFixed(2)} ms; warm compile ${got.package.warmCompile.toFixed(2)} + instantiate ${got.package.warmInstantiate.toFixed(2)} ms) | import("pandora-mq") ${got.entry.total.toFixed(2)} ms`);
  }

  return [
    figure({
      name: "wasm size raw", unit: "KiB (lower is better)", better: "lower",
      samples: [bytes.length / KB], baseline: "–",
      note: `${bytes.length} bytes`,
    }),
    figure({
      name: "wasm size gzip -9", unit: "KiB (lower is better)", better: "lower",
      samples: [gzip / KB], baseline: "raw size", baselineValue: bytes.length / KB,
      target: { text: "≤ 150 KB", met: (e) => e.value <= 150 }, note: `${gzip} bytes`,
    }),
    figure({
      name: "wasm cold init in Node (initSync: compile+instantiate+start)", unit: "ms (lower is better)", better: "lower",
      samples: samples.init, baseline: "minimal wasm module, cold", baselineSamples: samples.minimal,
      target: { text: "< 10 ms", met: (e) => e.value < 10 },
      note: `fresh process per sample; importing the glue JS takes another ${median(samples.importMs).toFixed(2)} ms`,
    }),
    figure({
      name: 'cold import("pandora-mq") in Node (all JS + wasm)', unit: "ms (lower is better)", better: "lower",
      samples: samples.entry, baseline: "minimal wasm module, cold", baselineSamples: samples.minimal,
      note: "fresh process per sample: module loading, reading the .wasm, compile, instantiate",
    }),
  ];
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
