// Cloudflare Workers: the bundler hands over a compiled WebAssembly.Module.
import wasm from "../pandora_mq_bg.wasm";
import { initSync } from "../pandora_mq.js";

initSync({ module: wasm });

export * from "../src/index.js";
export { initWasm } from "./init-wasm.js";
