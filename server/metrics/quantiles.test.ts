import { describe, expect, it } from 'vitest';
import { latencyPercentiles, quantile, quantiles, quantileSorted } from './quantiles.ts';

// numpy.percentile (linear) of [12, 3, 7, 1, 9, 15, 4, 22, 8, 6].
const SAMPLE = [12, 3, 7, 1, 9, 15, 4, 22, 8, 6];

describe('quantile', () => {
  it.each([
    [0, 1],
    [0.25, 4.5],
    [0.5, 7.5],
    [0.9, 15.7],
    [0.95, 18.85],
    [0.99, 21.37],
    [1, 22],
  ])('quantile %d interpolates linearly like numpy', (p, expected) => {
    expect(quantile(SAMPLE, p)).toBeCloseTo(expected, 12);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    quantile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });

  it('returns the value itself for one value and null for none', () => {
    expect(quantile([42], 0.99)).toBe(42);
    expect(quantile([], 0.5)).toBeNull();
    expect(quantiles([], [0.5])).toBeNull();
  });

  it('sorts numerically, not as strings', () => {
    expect(quantile([10, 9, 100], 0.5)).toBe(10);
  });

  it('rejects p outside [0, 1] and non-finite values', () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], -0.1)).toThrow(RangeError);
    expect(() => quantile([1, Number.NaN], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, Infinity], 0.5)).toThrow(RangeError);
  });
});

describe('quantileSorted', () => {
  it('is NaN for an empty array', () => {
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe('latencyPercentiles', () => {
  it('summarises p50/p95/p99 with min, max and mean', () => {
    expect(latencyPercentiles(SAMPLE)).toEqual({
      n: 10,
      min: 1,
      mean: 8.7,
      p50: 7.5,
      p95: expect.closeTo(18.85, 12),
      p99: expect.closeTo(21.37, 12),
      max: 22,
    });
  });

  it('puts p99 of 1..1000 at 990.01 (interpolated, not nearest rank)', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => i + 1);
    const summary = latencyPercentiles(samples)!;
    expect(summary.p50).toBe(500.5);
    expect(summary.p95).toBeCloseTo(950.05, 10);
    expect(summary.p99).toBeCloseTo(990.01, 10);
  });

  it('returns null for no samples', () => {
    expect(latencyPercentiles([])).toBeNull();
  });
});
