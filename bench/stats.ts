/** The few statistics the benchmarks report: percentiles, medians, and the busiest second. */

/** The nearest-rank percentile (0 < p ≤ 100) of `values`; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The most of `times` (ms) that fall in any half-open window [t, t + windowMs). */
export function maxInWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** How many of `times` (ms) close a half-open window [t - windowMs, t] holding more than `limit`:
 * each is a window in which the gateway saw more than its limit. */
export function windowsAbove(times: readonly number[], limit: number, windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let above = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    if (hi - lo + 1 > limit) above++;
  }
  return above;
}

export interface Latency {
  p50: number;
  p95: number;
  max: number;
}

export function latencyOf(values: readonly number[]): Latency {
  return {
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: values.length === 0 ? Number.NaN : values.reduce((m, v) => Math.max(m, v), -Infinity),
  };
}
