// The app for esbuild with the wasm inlined into the bundle (esbuild's
// "binary" loader gives its bytes), handed over first: no second request.
import wasmBytes from "pandora-mq/wasm";
import * as pkg from "pandora-mq";
import { report } from "./report.js";

await pkg.initWasm(wasmBytes);
report(pkg);
