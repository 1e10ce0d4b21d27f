// Deno: read the wasm next to this file (npm packages are local files).
import { initSync } from "../pandora_mq.js";

initSync({ module: await Deno.readFile(new URL("../pandora_mq_bg.wasm", import.meta.url)) });

export * from "../src/index.js";
