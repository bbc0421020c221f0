import { describe, expect, it } from 'vitest';
import { averageRanks, spearmanRho } from './rank-correlation.ts';

describe('averageRanks', () => {
  it('gives ties the mean of the ranks they span (like scipy.stats.rankdata)', () => {
    expect(averageRanks([10, 20, 20, 5, 30, 20])).toEqual([2, 4, 4, 1, 6, 4]);
  });

  it('ranks distinct values 1..n and handles all-tied and empty input', () => {
    expect(averageRanks([0.3, 0.1, 0.2])).toEqual([3, 1, 2]);
    expect(averageRanks([7, 7, 7, 7])).toEqual([2.5, 2.5, 2.5, 2.5]);
    expect(averageRanks([])).toEqual([]);
  });
});

describe('spearmanRho', () => {
  it('matches scipy.stats.spearmanr with ties', () => {
    expect(spearmanRho([1, 2, 2, 3, 4, 4, 4, 5], [2, 1, 3, 3, 5, 4, 4, 6])).toBeCloseTo(0.9256265453136692, 14);
    expect(spearmanRho([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 14);
  });

  it('matches 1 - 6Σd²/(n(n²-1)) without ties', () => {
    // ranks of y: [2, 1, 4, 3, 5]; d² = 1+1+1+1+0 = 4; 1 - 24/120 = 0.8
    expect(spearmanRho([1, 2, 3, 4, 5], [20, 10, 40, 30, 50])).toBeCloseTo(0.8, 14);
  });

  it('is exactly ±1 for any monotone relation', () => {
    expect(spearmanRho([1, 2, 3, 4], [1, 8, 27, 64])).toBe(1);
    expect(spearmanRho([0.1, 0.2, 0.3], [5, 4, 1])).toBe(-1);
  });

  it('is NaN when a side is constant (no ranking to correlate)', () => {
    expect(spearmanRho([3, 3, 3], [1, 2, 3])).toBeNaN();
  });

  it('returns null below two pairs', () => {
    expect(spearmanRho([], [])).toBeNull();
    expect(spearmanRho([1], [2])).toBeNull();
  });

  it('rejects unpaired or non-finite input', () => {
    expect(() => spearmanRho([1, 2], [1])).toThrow(RangeError);
    expect(() => spearmanRho([1, Number.NaN], [1, 2])).toThrow(RangeError);
  });
});
