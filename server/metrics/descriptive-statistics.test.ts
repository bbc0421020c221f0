import { describe, expect, it } from 'vitest';
import { mean, sampleVariance, sum } from './descriptive-statistics.ts';

describe('sum', () => {
  it('compensates rounding that a naive loop accumulates', () => {
    const values = [1, 1e100, 1, -1e100];
    expect(sum(values)).toBe(2);
    const tenths = new Array<number>(10).fill(0.1);
    expect(sum(tenths)).toBe(1);
  });

  it('is 0 for no values', () => {
    expect(sum([])).toBe(0);
  });
});

describe('mean', () => {
  it('averages values and is NaN when empty', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean(Float64Array.from([0.5]))).toBe(0.5);
    expect(mean([])).toBeNaN();
  });
});

describe('sampleVariance', () => {
  it('uses the n - 1 denominator', () => {
    // mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, / 7
    expect(sampleVariance([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(32 / 7, 14);
  });

  it('is 0 for identical values and NaN below two values', () => {
    expect(sampleVariance([0.3, 0.3, 0.3])).toBe(0);
    expect(sampleVariance([1])).toBeNaN();
    expect(sampleVariance([])).toBeNaN();
  });

  it('stays accurate for large offsets where the textbook formula cancels', () => {
    expect(sampleVariance([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16])).toBeCloseTo(30, 8);
  });
});
