// Browsers and bundlers: fetch the wasm next to this file (bundlers follow
// `new URL(…, import.meta.url)`), before any export is used. A bundler that
// copies no wasm makes that fetch fail: the import still succeeds, and the app
// hands the wasm over with `await initWasm(url or bytes or module)`.
import init from "../pandora_mq.js";

try {
  await init({ module_or_path: new URL("../pandora_mq_bg.wasm", import.meta.url) });
} catch {
  // Not found here: initWasm(source) is the way in (see init-wasm.js).
}

export * from "../src/index.js";
export { initWasm } from "./init-wasm.js";
