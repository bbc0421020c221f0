// Seeded nonparametric bootstrap: percentile intervals for a statistic of one sample, and the
// paired mean difference that the promotion gate reads (promote only when `low > 0`).
import { mean } from './descriptive-statistics.ts';
import { assertFiniteNumbers, assertLevel, assertPositiveInteger, assertSameLength } from './input-checks.ts';
import { quantileSorted } from './quantiles.ts';
import { createSeededRandom, type Seed, type SeededRandom } from './seeded-random.ts';

export const DEFAULT_BOOTSTRAP_ITERATIONS = 10_000;
export const DEFAULT_BOOTSTRAP_SEED = 1;

export interface BootstrapOptions {
  /** Resamples drawn; default 10,000. */
  iterations?: number;
  /** Same seed, same data: same interval, bit for bit. Default 1. */
  seed?: Seed;
  /** Confidence level of the percentile interval; default 0.95. */
  level?: number;
}

export interface BootstrapInterval {
  /** The statistic on the original sample. */
  estimate: number;
  low: number;
  high: number;
  n: number;
  iterations: number;
}

export interface PairedBootstrapResult {
  /** mean(a) - mean(b): positive when `a` (the candidate) scores higher. */
  meanDiff: number;
  low: number;
  high: number;
  /** Two-sided p-value for "no difference" from the recentred bootstrap distribution; never 0. */
  pValue: number;
  n: number;
  iterations: number;
}

/**
 * Percentile bootstrap interval for any statistic. The statistic gets a reused buffer: read it,
 * do not keep it. Null for no values. With one value a resample cannot show any spread, so the
 * interval is (-Infinity, Infinity) instead of a falsely certain point.
 */
export function bootstrapInterval(
  values: readonly number[],
  statistic: (sample: Float64Array) => number,
  options: BootstrapOptions = {},
): BootstrapInterval | null {
  const { iterations, level, random } = resolve(options);
  if (values.length === 0) return null;
  assertFiniteNumbers(values, 'values');
  const data = Float64Array.from(values);
  const estimate = statistic(data);
  if (data.length === 1) return { estimate, low: -Infinity, high: Infinity, n: 1, iterations: 0 };
  const sample = new Float64Array(data.length);
  const replicates = new Float64Array(iterations);
  for (let r = 0; r < iterations; r++) {
    for (let i = 0; i < sample.length; i++) sample[i] = data[random.nextIndex(data.length)]!;
    replicates[r] = statistic(sample);
  }
  return { estimate, ...percentileInterval(replicates, level), n: data.length, iterations };
}

/** Percentile bootstrap interval for the mean (a fast path of `bootstrapInterval`). */
export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions = {}): BootstrapInterval | null {
  const { iterations, level, random } = resolve(options);
  if (values.length === 0) return null;
  assertFiniteNumbers(values, 'values');
  const estimate = mean(values);
  if (values.length === 1) return { estimate, low: -Infinity, high: Infinity, n: 1, iterations: 0 };
  const replicates = resampleMeans(Float64Array.from(values), iterations, random);
  return { estimate, ...percentileInterval(replicates, level), n: values.length, iterations };
}

/**
 * Bootstrap of the paired mean difference mean(a - b), resampling cases (pairs) with replacement.
 * `a[i]` and `b[i]` must be the same case. Null for no pairs; one pair gives (-Infinity, Infinity)
 * and p = 1, so a gate on `low > 0` never passes on a single case.
 */
export function pairedBootstrap(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions = {},
): PairedBootstrapResult | null {
  const { iterations, level, random } = resolve(options);
  assertSameLength(a, b, 'a and b');
  if (a.length === 0) return null;
  assertFiniteNumbers(a, 'a');
  assertFiniteNumbers(b, 'b');
  const diffs = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) diffs[i] = a[i]! - b[i]!;
  const meanDiff = mean(diffs);
  if (diffs.length === 1) return { meanDiff, low: -Infinity, high: Infinity, pValue: 1, n: 1, iterations: 0 };
  const replicates = resampleMeans(diffs, iterations, random);
  // Recentre the replicates on 0 (the null) and count those at least as far out as the estimate.
  let extreme = 0;
  const observed = Math.abs(meanDiff);
  for (const replicate of replicates) if (Math.abs(replicate - meanDiff) >= observed) extreme++;
  const pValue = (extreme + 1) / (iterations + 1);
  return { meanDiff, ...percentileInterval(replicates, level), pValue, n: diffs.length, iterations };
}

function resolve(options: BootstrapOptions): { iterations: number; level: number; random: SeededRandom } {
  const iterations = options.iterations ?? DEFAULT_BOOTSTRAP_ITERATIONS;
  const level = options.level ?? 0.95;
  assertPositiveInteger(iterations, 'iterations');
  assertLevel(level);
  return { iterations, level, random: createSeededRandom(options.seed ?? DEFAULT_BOOTSTRAP_SEED) };
}

function resampleMeans(data: Float64Array, iterations: number, random: SeededRandom): Float64Array {
  const n = data.length;
  const replicates = new Float64Array(iterations);
  for (let r = 0; r < iterations; r++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += data[random.nextIndex(n)]!;
    replicates[r] = total / n;
  }
  return replicates;
}

// Sorts `replicates` in place.
function percentileInterval(replicates: Float64Array, level: number): { low: number; high: number } {
  const sorted = Array.from(replicates.sort());
  const alpha = 1 - level;
  return { low: quantileSorted(sorted, alpha / 2), high: quantileSorted(sorted, 1 - alpha / 2) };
}
