import { describe, expect, it } from 'vitest';
import { bootstrapInterval, bootstrapMeanInterval, pairedBootstrap } from './bootstrap.ts';
import { createSeededRandom } from './seeded-random.ts';

const CANDIDATE = [1, 1, 0.5, 1, 0, 1, 0.8, 1, 1, 0.6, 0.9, 1];
const PRODUCTION = [0.5, 1, 0.5, 0, 0, 1, 0.2, 1, 0.7, 0.6, 0.4, 0.8];
const SCORES = [0.2, 0.9, 0.7, 1.0, 0.4, 0.65, 0.8];

describe('pairedBootstrap', () => {
  // Expected values from an independent Python re-implementation driven by the same PRNG stream
  // (numpy.percentile for the interval), so this pins the resampling itself, not just determinism.
  it('matches a reference implementation for a fixed seed', () => {
    const result = pairedBootstrap(CANDIDATE, PRODUCTION, { iterations: 2000, seed: 7 })!;
    expect(result.meanDiff).toBeCloseTo(0.25833333333333336, 12);
    expect(result.low).toBeCloseTo(0.1, 12);
    expect(result.high).toBeCloseTo(0.44166666666666665, 12);
    expect(result.pValue).toBeCloseTo(0.0024987506246876563, 15);
    expect(result.n).toBe(12);
    expect(result.iterations).toBe(2000);
  });

  it('narrows the interval at a lower level', () => {
    const result = pairedBootstrap(CANDIDATE, PRODUCTION, { iterations: 2000, seed: 7, level: 0.9 })!;
    expect(result.low).toBeCloseTo(0.125, 12);
    expect(result.high).toBeCloseTo(0.4166666666666667, 12);
  });

  it('is identical for the same seed and differs for another', () => {
    const first = pairedBootstrap(CANDIDATE, PRODUCTION, { iterations: 500, seed: 11 });
    expect(pairedBootstrap(CANDIDATE, PRODUCTION, { iterations: 500, seed: 11 })).toEqual(first);
    expect(pairedBootstrap(CANDIDATE, PRODUCTION, { iterations: 500, seed: 12 })).not.toEqual(first);
  });

  it('is deterministic with the default seed and iterations', () => {
    const result = pairedBootstrap(CANDIDATE, PRODUCTION)!;
    expect(result.iterations).toBe(10_000);
    expect(pairedBootstrap(CANDIDATE, PRODUCTION)).toEqual(result);
  });

  it('measures candidate minus production: swapping the arguments mirrors the result', () => {
    const forward = pairedBootstrap(CANDIDATE, PRODUCTION, { iterations: 1000, seed: 3 })!;
    const backward = pairedBootstrap(PRODUCTION, CANDIDATE, { iterations: 1000, seed: 3 })!;
    expect(backward.meanDiff).toBeCloseTo(-forward.meanDiff, 12);
    expect(backward.low).toBeCloseTo(-forward.high, 12);
    expect(backward.high).toBeCloseTo(-forward.low, 12);
    expect(backward.pValue).toBe(forward.pValue);
  });

  it('gives p = 1 and an interval around 0 when the configs tie on every case', () => {
    const result = pairedBootstrap(CANDIDATE, CANDIDATE, { iterations: 1000 })!;
    expect(result).toMatchObject({ meanDiff: 0, low: 0, high: 0, pValue: 1 });
  });

  it('gives the smallest possible p when every case improves by the same amount', () => {
    const result = pairedBootstrap([1, 1, 1, 1], [0.5, 0.5, 0.5, 0.5], { iterations: 999 })!;
    expect(result.meanDiff).toBe(0.5);
    expect(result.low).toBeCloseTo(0.5, 14);
    expect(result.high).toBeCloseTo(0.5, 14);
    expect(result.pValue).toBe(1 / 1000);
  });

  it('does not let the gate pass on a single case: (-Infinity, Infinity), p = 1', () => {
    expect(pairedBootstrap([1], [0])).toEqual({ meanDiff: 1, low: -Infinity, high: Infinity, pValue: 1, n: 1, iterations: 0 });
  });

  it('returns null for no cases', () => {
    expect(pairedBootstrap([], [])).toBeNull();
  });

  it('has lower bound > 0 for a clear improvement and <= 0 for noise', () => {
    const random = createSeededRandom(2024);
    const production = Array.from({ length: 200 }, () => (random.next() < 0.6 ? 1 : 0));
    const better = production.map((score) => (score === 0 && random.next() < 0.5 ? 1 : score));
    const shuffled = production.map(() => (random.next() < 0.6 ? 1 : 0));
    expect(pairedBootstrap(better, production, { iterations: 2000 })!.low).toBeGreaterThan(0);
    const noise = pairedBootstrap(shuffled, production, { iterations: 2000 })!;
    expect(noise.low).toBeLessThanOrEqual(0);
    expect(noise.high).toBeGreaterThanOrEqual(0);
  });

  it('approaches the normal-theory interval for a large sample', () => {
    const random = createSeededRandom(8);
    const a = Array.from({ length: 2000 }, () => random.next());
    const b = Array.from({ length: 2000 }, () => random.next());
    const diffs = a.map((value, i) => value - b[i]!);
    const meanDiff = diffs.reduce((s, d) => s + d, 0) / diffs.length;
    const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - meanDiff) ** 2, 0) / (diffs.length - 1));
    const halfWidth = (1.959964 * sd) / Math.sqrt(diffs.length);
    const result = pairedBootstrap(a, b, { iterations: 4000, seed: 1 })!;
    expect(result.high - result.low).toBeCloseTo(2 * halfWidth, 2);
    expect((result.low + result.high) / 2).toBeCloseTo(meanDiff, 2);
  });

  it('rejects unpaired, non-finite or out-of-range input', () => {
    expect(() => pairedBootstrap([1, 2], [1])).toThrow(RangeError);
    expect(() => pairedBootstrap([1, Number.NaN], [1, 2])).toThrow(RangeError);
    expect(() => pairedBootstrap([1, 2], [1, 2], { iterations: 0 })).toThrow(RangeError);
    expect(() => pairedBootstrap([1, 2], [1, 2], { iterations: 10.5 })).toThrow(RangeError);
    expect(() => pairedBootstrap([1, 2], [1, 2], { level: 1 })).toThrow(RangeError);
  });
});

describe('bootstrapMeanInterval', () => {
  it('matches a reference implementation for a fixed seed', () => {
    const result = bootstrapMeanInterval(SCORES, { iterations: 1000, seed: 3 })!;
    expect(result.estimate).toBeCloseTo(0.6642857142857143, 14);
    expect(result.low).toBeCloseTo(0.4714285714285715, 12);
    expect(result.high).toBeCloseTo(0.8428571428571429, 12);
  });

  it('returns null for no values and an unbounded interval for one', () => {
    expect(bootstrapMeanInterval([])).toBeNull();
    expect(bootstrapMeanInterval([0.7])).toEqual({ estimate: 0.7, low: -Infinity, high: Infinity, n: 1, iterations: 0 });
  });
});

describe('bootstrapInterval', () => {
  it('agrees with the mean fast path when the statistic is the mean', () => {
    const meanOf = (sample: Float64Array): number => sample.reduce((s, v) => s + v, 0) / sample.length;
    const generic = bootstrapInterval(SCORES, meanOf, { iterations: 1000, seed: 3 })!;
    const fast = bootstrapMeanInterval(SCORES, { iterations: 1000, seed: 3 })!;
    expect(generic.low).toBeCloseTo(fast.low, 12);
    expect(generic.high).toBeCloseTo(fast.high, 12);
  });

  it('bootstraps any statistic, e.g. the maximum, within the data range', () => {
    const maxOf = (sample: Float64Array): number => Math.max(...sample);
    const result = bootstrapInterval(SCORES, maxOf, { iterations: 500 })!;
    expect(result.estimate).toBe(1);
    expect(result.high).toBe(1);
    expect(result.low).toBeGreaterThanOrEqual(0.65);
  });

  it('returns null for no values', () => {
    expect(bootstrapInterval([], () => 0)).toBeNull();
  });
});
