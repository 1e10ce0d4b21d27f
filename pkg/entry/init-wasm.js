// The explicit way to hand the package its wasm, for a bundler that leaves
// `new URL("../pandora_mq_bg.wasm", import.meta.url)` alone and copies no
// wasm (esbuild): the default load then fails quietly, and the app calls
// `await initWasm(source)` before its first use of the package. Where the
// default load worked (every other entry, most bundlers) it changes nothing.
import init from "../pandora_mq.js";

/**
 * @param {string | URL | Response | BufferSource | WebAssembly.Module | Promise<Response>} source
 *   where the wasm is (a URL, or a fetch Response), its bytes, or the compiled module
 * @returns {Promise<void>}
 */
export async function initWasm(source) {
  // wasm-bindgen's init does nothing once the wasm is instantiated.
  await init({ module_or_path: source });
}
