// Node and Bun: read the wasm next to this file and compile it synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "../pandora_mq.js";

initSync({ module: readFileSync(new URL("../pandora_mq_bg.wasm", import.meta.url)) });

export * from "../src/index.js";
export { initWasm } from "./init-wasm.js";
