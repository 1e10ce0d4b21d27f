// One cold start, in this fresh process, printed as JSON on stdout:
//   node benches/lib/cold-start.js minimal   a minimal wasm module (one exported add): new Module + new Instance
//   node benches/lib/cold-start.js package   the package's wasm: import the glue, then initSync (compile +
//                                            instantiate + start), then split: compile alone, instantiate alone
//   node benches/lib/cold-start.js entry     `await import("pandora-mq")` as a whole (module loading,
//                                            reading the .wasm, compile, instantiate)
// Each is the first WebAssembly work of its process.

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const mode = process.argv[2];
const ms = (t0) => performance.now() - t0;

/** (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)) */
export const MINIMAL = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, // type: (i32, i32) -> i32
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, // export "add" = func 0
  0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, // code
]);

/** Stub imports so the module can be instantiated without the glue (for the split timing). */
function stubImports(module) {
  const imports = {};
  for (const { module: name, name: field } of WebAssembly.Module.imports(module)) (imports[name] ??= {})[field] = () => {};
  return imports;
}

if (mode === "minimal") {
  const t0 = performance.now();
  const instance = new WebAssembly.Instance(new WebAssembly.Module(MINIMAL), {});
  const total = ms(t0);
  if (instance.exports.add(2, 3) !== 5) throw new Error("minimal module broken");
  console.log(JSON.stringify({ total }));
} else if (mode === "package") {
  const root = new URL("../", import.meta.resolve("pandora-mq"));
  const t0 = performance.now();
  const glue = await import(new URL("pandora_mq.js", root).href);
  const importMs = ms(t0);
  const bytes = readFileSync(new URL("pandora_mq_bg.wasm", root));
  const t1 = performance.now();
  glue.initSync({ module: bytes });
  const total = ms(t1);
  // The same bytes again, split (now warm: the engine is set up and the code cache may help).
  const t2 = performance.now();
  const module = new WebAssembly.Module(bytes);
  const compile = ms(t2);
  const t3 = performance.now();
  new WebAssembly.Instance(module, stubImports(module));
  const instantiate = ms(t3);
  console.log(JSON.stringify({ total, importMs, warmCompile: compile, warmInstantiate: instantiate }));
} else if (mode === "entry") {
  const t0 = performance.now();
  const pkg = await import("pandora-mq");
  const total = ms(t0);
  if (typeof pkg.Server !== "function") throw new Error("no Server export");
  console.log(JSON.stringify({ total }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
