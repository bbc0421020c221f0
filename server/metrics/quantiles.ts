// Quantiles by linear interpolation between order statistics (Hyndman & Fan type 7, the default
// of numpy, R and Excel's PERCENTILE.INC), and the p50/p95/p99 summary used by benchmarks.
import { mean } from './descriptive-statistics.ts';
import { assertFiniteNumbers } from './input-checks.ts';

/** Quantile `p` (0..1) of values already sorted ascending; NaN when empty. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be within [0, 1], got ${p}`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const position = (n - 1) * p;
  const below = Math.floor(position);
  const lower = sorted[below]!;
  if (below === position) return lower;
  const upper = sorted[below + 1]!;
  return lower + (upper - lower) * (position - below);
}

/** Quantiles at each of `ps` (0..1), sorting once; null when there are no values. */
export function quantiles(values: readonly number[], ps: readonly number[]): number[] | null {
  if (values.length === 0) return null;
  assertFiniteNumbers(values, 'values');
  const sorted = Float64Array.from(values).sort();
  const asArray = Array.from(sorted);
  return ps.map((p) => quantileSorted(asArray, p));
}

/** Quantile `p` (0..1) of unsorted values; null when there are no values. */
export function quantile(values: readonly number[], p: number): number | null {
  return quantiles(values, [p])?.[0] ?? null;
}

export interface LatencySummary {
  n: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** p50/p95/p99 (interpolated) with min, max and mean; null when there are no samples. */
export function latencyPercentiles(samples: readonly number[]): LatencySummary | null {
  const q = quantiles(samples, [0, 0.5, 0.95, 0.99, 1]);
  if (q === null) return null;
  const [min, p50, p95, p99, max] = q as [number, number, number, number, number];
  return { n: samples.length, min, mean: mean(samples), p50, p95, p99, max };
}
