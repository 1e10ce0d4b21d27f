// The package does not expose its WebAssembly.Memory. Its glue module
// (pandora_mq.js, wasm-bindgen `--target web`) is a singleton whose `initSync()`
// returns the wasm exports, `memory` among them, once the package entry has
// initialised it. Importing the glue by the same URL the entry uses gives the
// very same module instance, hence the memory the Server allocates in.

import "pandora-mq"; // the entry initialises the wasm first

const glueUrl = new URL("../pandora_mq.js", import.meta.resolve("pandora-mq"));
const glue = await import(glueUrl.href);
const exports = glue.initSync();
if (!(exports?.memory instanceof WebAssembly.Memory)) throw new Error(`no wasm memory behind ${glueUrl}`);

/** The package's wasm memory. */
export const memory = exports.memory;

/** Current size of the package's wasm memory in bytes (it only ever grows). */
export const wasmMemoryBytes = () => memory.buffer.byteLength;

/** Where the package's files are (a file: URL of its root folder). */
export const packageRoot = new URL("../", import.meta.resolve("pandora-mq"));

/** Bytes the package's allocator has handed out and not taken back (live data, without free space). */
export const heapInUse = () => exports.pandora_heap_in_use() >>> 0;
