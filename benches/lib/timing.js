// Timing helpers. Every figure is measured in rounds; the variants of one
// figure (the thing and its baseline) run in the same round, alternating which
// goes first, so drift of the machine (thermal, GC, a neighbour) hits both.

import { performance } from "node:perf_hooks";

export const now = () => performance.now();

/** Runs `fn` once and returns the elapsed milliseconds. */
export async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Operations per second from a count and elapsed milliseconds. */
export const perSecond = (count, ms) => (count * 1000) / ms;

/**
 * Runs `rounds` rounds (after `warmup` discarded ones) of every variant.
 * Each variant is `async () => number | Record<string, number>`: it returns the
 * round's figure(s). The order of variants rotates from round to round.
 * Returns `{ [variant]: number[] }` or `{ [variant]: { [figure]: number[] } }`.
 *
 * @param {{ rounds: number, warmup?: number, log?: (s: string) => void }} options
 * @param {Record<string, () => Promise<number | Record<string, number>>>} variants
 */
export async function interleaved({ rounds, warmup = 1, log = () => {} }, variants) {
  const names = Object.keys(variants);
  const out = {};
  for (let r = -warmup; r < rounds; r++) {
    const order = names.map((_, i) => names[(i + Math.max(r, 0)) % names.length]);
    const parts = [];
    for (const name of order) {
      const figure = await variants[name]();
      if (r < 0) {
        parts.push(`${name} ${fmt(figure)}`);
        continue;
      }
      if (typeof figure === "number") (out[name] ??= []).push(figure);
      else for (const [k, v] of Object.entries(figure)) ((out[name] ??= {})[k] ??= []).push(v);
      parts.push(`${name} ${fmt(figure)}`);
    }
    log(`  ${r < 0 ? "warm-up" : `round ${r + 1}/${rounds}`}: ${parts.join(" | ")}`);
  }
  return out;
}

function fmt(figure) {
  const one = (x) => (x >= 100 ? Math.round(x).toString() : x.toPrecision(3));
  return typeof figure === "number" ? one(figure) : Object.entries(figure).map(([k, v]) => `${k}=${one(v)}`).join(" ");
}

/** Gives pending finalizers and timers a chance to run between rounds. */
export async function settle() {
  if (typeof globalThis.gc === "function") globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
}
