// The app for esbuild, which copies no wasm by itself: the wasm is imported
// as a file (esbuild's "file" loader gives its URL) and handed over first.
import wasmUrl from "pandora-mq/wasm";
import * as pkg from "pandora-mq";
import { report } from "./report.js";

await pkg.initWasm(new URL(wasmUrl, import.meta.url));
report(pkg);
