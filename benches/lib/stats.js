// Summaries of repeated measurements. Benchmarks report the median of several
// rounds (robust to one slow round) with the min and max beside it.

/** @param {number[]} samples @returns {{ n: number, min: number, median: number, max: number, mean: number }} */
export function summarise(samples) {
  if (samples.length === 0) throw new Error("summarise: no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const mean = sorted.reduce((s, x) => s + x, 0) / n;
  return { n, min: sorted[0], median, max: sorted[n - 1], mean };
}

/** Median of a list (a shorthand). */
export const median = (samples) => summarise(samples).median;
