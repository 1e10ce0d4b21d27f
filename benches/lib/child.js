// Runs one benchmark group in this (fresh) process and hands its entries to
// the parent (benches/run.js) over IPC, so no group inherits another's heap,
// wasm memory or JIT state.
//
//   node benches/lib/child.js <group file> '{"quick":false}'

import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const [file, json = "{}"] = process.argv.slice(2);
const options = JSON.parse(json);
const log = (line) => process.stderr.write(`${line}\n`);

try {
  const group = await import(pathToFileURL(resolve(file)).href);
  const entries = await group.run({ ...options, log });
  if (process.send) process.send({ entries });
  else process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
  process.exitCode = 0;
} catch (e) {
  log(e?.stack ?? String(e));
  if (process.send) process.send({ error: String(e?.message ?? e) });
  process.exitCode = 1;
}
// Let IPC drain, then leave even if a group left a handle open (a server, a timer).
setTimeout(() => process.exit(), 200).unref?.();
