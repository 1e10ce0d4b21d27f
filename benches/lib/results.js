// Result entries: the `benches/results.json` format of docs (DESIGN.md,
// "Performance"): { name, value, unit, baseline, baseline_value, ratio }, with
// min/median/max of the measured figure and the target beside it.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { summarise } from "./stats.js";

/**
 * One figure measured against a baseline. `value` is the median of
 * `samples`; `ratio` = value / baseline_value. Pass `better: "higher"` for rates,
 * `"lower"` for latencies, sizes and times (the unit then says so).
 *
 * @param {{ name: string, unit: string, samples: number[], baseline: string,
 *   baselineSamples?: number[], baselineValue?: number, better?: "higher" | "lower",
 *   target?: { text: string, met: (e: object) => boolean }, note?: string }} o
 */
export function figure({ name, unit, samples, baseline, baselineSamples, baselineValue, better = "higher", target, note }) {
  const s = summarise(samples);
  const b = baselineSamples ? summarise(baselineSamples) : null;
  const baselineMedian = b ? b.median : baselineValue ?? null;
  const entry = {
    name,
    value: round(s.median),
    unit,
    baseline,
    baseline_value: baselineMedian === null ? null : round(baselineMedian),
    ratio: baselineMedian ? round(s.median / baselineMedian, 4) : null,
    better,
    min: round(s.min),
    median: round(s.median),
    max: round(s.max),
    rounds: s.n,
  };
  if (b) Object.assign(entry, { baseline_min: round(b.min), baseline_max: round(b.max) });
  if (target) Object.assign(entry, { target: target.text, target_met: target.met(entry) });
  if (note) entry.note = note;
  return entry;
}

/** A figure that could not be measured, with the reason (value null). */
export function unavailable({ name, unit, baseline, reason }) {
  return { name, value: null, unit, baseline, baseline_value: null, ratio: null, min: null, median: null, max: null, error: reason };
}

/** Keeps 4 significant digits for big numbers and 4 decimals for small ones. */
export function round(x, decimals) {
  if (x === null || x === undefined || !Number.isFinite(x)) return x;
  if (decimals !== undefined) return Number(x.toFixed(decimals));
  if (Math.abs(x) >= 1000) return Math.round(x);
  return Number(x.toPrecision(4));
}

function chromiumVersion() {
  try {
    return execFileSync("/usr/bin/chromium", ["--version"], { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "ignore"] })
      .trim();
  } catch {
    return null;
  }
}

function osName() {
  try {
    const release = readFileSync("/etc/os-release", "utf8").match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1];
    return `${release ?? os.type()} (${os.type()} ${os.release()} ${os.arch()})`;
  } catch {
    return `${os.type()} ${os.release()} ${os.arch()}`;
  }
}

/** The `machine` entry: where the figures were measured. */
export function machine({ chromium } = {}) {
  const cpus = os.cpus();
  return {
    name: "machine",
    cores: cpus.length,
    cpu_model: cpus[0]?.model?.trim() ?? null,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    node_version: process.version,
    v8_version: process.versions.v8,
    chromium_version: chromium ?? chromiumVersion(),
    os: osName(),
    date: new Date().toISOString(),
  };
}

export function writeResults(path, entries) {
  writeFileSync(path, `${JSON.stringify(entries, null, 2)}\n`);
}
