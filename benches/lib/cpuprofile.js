// Summarises a V8 CPU profile (the `.cpuprofile` format of node --cpu-prof and
// of the inspector's Profiler domain): self time per function, and per layer
// (wasm, wasm-bindgen glue, the package's JS, the benchmark, GC, V8/Node).

/** Which layer a profile node belongs to; `packageRoot`: the package's folder URL (file:///…/). */
export function layerOf({ functionName, url }, packageRoot = "") {
  if (url.startsWith("wasm://") || (!url && /^\$?wasm-function\[/.test(functionName))) return "wasm";
  if (url.endsWith("/pandora_mq.js")) return "wasm-bindgen glue (pandora_mq.js)";
  if ((packageRoot && (url.startsWith(`${packageRoot}src/`) || url.startsWith(`${packageRoot}entry/`)))
    || /\/pandora-mq\/(src|entry)\/|\/pkg\/(src|entry)\//.test(url)) return "package JS (src/*.js)";
  if (url.includes("/benches/")) return "benchmark code";
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(program)" || functionName === "(idle)" || functionName === "(root)") return "V8 (program/idle)";
  return "V8/Node built-ins";
}

/**
 * @param {{ nodes: any[], samples: number[], timeDeltas: number[] }} profile
 * @param {string} [packageRoot] file: URL of the profiled package's folder, ending in "/"
 * @returns {{ total: number, functions: { name: string, layer: string, ms: number, share: number }[], layers: { layer: string, ms: number, share: number }[] }}
 */
export function summariseProfile(profile, packageRoot) {
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map();
  const byLayer = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    const cf = node.callFrame;
    const layer = layerOf(cf, packageRoot);
    const where = cf.url ? ` ${cf.url.split("/").slice(-2).join("/")}${cf.lineNumber >= 0 ? `:${cf.lineNumber + 1}` : ""}` : "";
    const name = `${cf.functionName || "(anonymous)"}${layer === "wasm" ? "" : where}`;
    const f = byFunction.get(name) ?? { name, layer, us: 0 };
    f.us += us;
    byFunction.set(name, f);
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + us);
    total += us;
  }
  const share = (us) => us / total;
  return {
    total: total / 1000,
    functions: [...byFunction.values()].sort((a, b) => b.us - a.us).map((f) => ({ name: f.name, layer: f.layer, ms: f.us / 1000, share: share(f.us) })),
    layers: [...byLayer].sort((a, b) => b[1] - a[1]).map(([layer, us]) => ({ layer, ms: us / 1000, share: share(us) })),
  };
}

/** Plain-text report of a summary. */
export function formatSummary(title, summary, top = 25) {
  const pct = (x) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const lines = [`${title}: ${summary.total.toFixed(0)} ms sampled`, "  by layer:"];
  for (const l of summary.layers) lines.push(`    ${pct(l.share)}  ${l.layer}`);
  lines.push(`  top ${top} functions by self time:`);
  for (const f of summary.functions.slice(0, top)) lines.push(`    ${pct(f.share)}  [${f.layer}] ${f.name}`);
  return lines.join("\n");
}
