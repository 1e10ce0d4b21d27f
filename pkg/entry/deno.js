// Deno: the wasm imported as a module (a source-phase import gives the
// compiled WebAssembly.Module), so no --allow-read is needed.
import source wasm from "../pandora_mq_bg.wasm";
import { initSync } from "../pandora_mq.js";

initSync({ module: wasm });

export * from "../src/index.js";
export { initWasm } from "./init-wasm.js";
