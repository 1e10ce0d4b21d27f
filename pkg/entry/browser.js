// Browsers and bundlers: fetch the wasm next to this file (bundlers follow
// `new URL(…, import.meta.url)`), before any export is used.
import init from "../pandora_mq.js";

await init({ module_or_path: new URL("../pandora_mq_bg.wasm", import.meta.url) });

export * from "../src/index.js";
