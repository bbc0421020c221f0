// 95% (or any level) confidence intervals for what eval reports show: the mean of 0-1 scores
// (Student t or bootstrap percentile) and a proportion of passes (Wilson score interval).
import { bootstrapMeanInterval, type BootstrapOptions } from './bootstrap.ts';
import { mean, sampleVariance } from './descriptive-statistics.ts';
import { assertFiniteNumbers, assertLevel, assertNonNegativeInteger } from './input-checks.ts';
import { normalQuantile, studentTQuantile } from './special-functions.ts';

export interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

export const INTERVAL_METHODS = ['t', 'bootstrap'] as const;
export type IntervalMethod = (typeof INTERVAL_METHODS)[number];

export interface MeanIntervalOptions extends BootstrapOptions {
  /** Default 't'. The bootstrap suits small skewed samples; it uses `iterations` and `seed`. */
  method?: IntervalMethod;
  /**
   * The values' possible range, e.g. [0, 1] for scores: values outside it throw, and the interval
   * is clipped to it (a t-interval can otherwise run past 0 or 1).
   */
  range?: readonly [number, number];
}

/**
 * Mean with a confidence interval (default 95%, Student t). Null when there are no values. One
 * value says nothing about spread, so its interval is the whole `range` (or ±Infinity). Identical
 * values give a zero-width interval: for pass/fail outcomes prefer `wilsonInterval`.
 */
export function meanConfidenceInterval(values: readonly number[], options: MeanIntervalOptions = {}): Interval | null {
  const { method = 't', range, level = 0.95 } = options;
  assertLevel(level);
  if (range !== undefined && !(range[0] <= range[1])) throw new RangeError(`range must be [low, high], got [${range.join(', ')}]`);
  if (values.length === 0) return null;
  assertFiniteNumbers(values, 'values');
  if (range !== undefined) {
    const outside = values.findIndex((value) => value < range[0] || value > range[1]);
    if (outside >= 0) throw new RangeError(`values[${outside}] = ${values[outside]} is outside [${range[0]}, ${range[1]}]`);
  }
  const n = values.length;
  let center: number;
  let low: number;
  let high: number;
  if (method === 'bootstrap') {
    const interval = bootstrapMeanInterval(values, options)!;
    ({ estimate: center, low, high } = interval);
  } else {
    center = mean(values);
    if (n === 1) {
      low = -Infinity;
      high = Infinity;
    } else {
      const halfWidth = studentTQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(sampleVariance(values) / n);
      low = center - halfWidth;
      high = center + halfWidth;
    }
  }
  if (range !== undefined) {
    low = Math.max(range[0], low);
    high = Math.min(range[1], high);
  }
  return { mean: center, low, high, n };
}

/**
 * Wilson score interval for a proportion `successes / n`: stays inside [0, 1] and keeps sensible
 * width at 0 or n successes, where the normal (Wald) interval collapses. Null when n = 0.
 */
export function wilsonInterval(successes: number, n: number, options: { level?: number } = {}): Interval | null {
  const level = options.level ?? 0.95;
  assertLevel(level);
  assertNonNegativeInteger(n, 'n');
  assertNonNegativeInteger(successes, 'successes');
  if (successes > n) throw new RangeError(`successes (${successes}) cannot exceed n (${n})`);
  if (n === 0) return null;
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = successes / n;
  const z2n = (z * z) / n;
  const center = (p + z2n / 2) / (1 + z2n);
  const halfWidth = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return {
    mean: p,
    low: successes === 0 ? 0 : Math.max(0, center - halfWidth),
    high: successes === n ? 1 : Math.min(1, center + halfWidth),
    n,
  };
}

/** Wilson interval from pass/fail outcomes. */
export function proportionInterval(outcomes: readonly boolean[], options: { level?: number } = {}): Interval | null {
  let successes = 0;
  for (const outcome of outcomes) if (outcome) successes++;
  return wilsonInterval(successes, outcomes.length, options);
}
