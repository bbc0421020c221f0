import { describe, expect, it } from 'vitest';
import { mcnemar, mcnemarFromCounts } from './mcnemar.ts';

describe('mcnemarFromCounts', () => {
  // Exact p-values from scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue.
  it.each([
    [10, 2, 0.03857421875],
    [2, 10, 0.03857421875],
    [0, 5, 0.0625],
    [5, 5, 1],
    [19, 1, 4.00543212890625e-5],
    [21, 3, 0.0002771615982055664],
  ])('uses the exact binomial test for b=%d, c=%d (fewer than 25 discordant)', (b, c, pValue) => {
    const result = mcnemarFromCounts(b, c);
    expect(result.method).toBe('exact');
    expect(result.statistic).toBe(Math.min(b, c));
    expect(result.pValue).toBeCloseTo(pValue, 14);
  });

  it('switches to the continuity-corrected chi-square from 25 discordant pairs', () => {
    // (|30 - 12| - 1)^2 / 42 = 289 / 42; p from scipy.stats.chi2.sf(289 / 42, 1).
    const result = mcnemarFromCounts(30, 12);
    expect(result).toMatchObject({ b: 30, c: 12, method: 'chi-square' });
    expect(result.statistic).toBeCloseTo(289 / 42, 14);
    expect(result.pValue).toBeCloseTo(0.008711912962379598, 14);
    expect(mcnemarFromCounts(13, 12).method).toBe('chi-square');
    expect(mcnemarFromCounts(12, 12).method).toBe('exact');
  });

  it('follows an explicit method either way', () => {
    expect(mcnemarFromCounts(30, 12, { method: 'exact' }).method).toBe('exact');
    expect(mcnemarFromCounts(10, 2, { method: 'chi-square' })).toMatchObject({ method: 'chi-square', statistic: 49 / 12 });
  });

  it('agrees roughly between exact and chi-square for large counts', () => {
    const exact = mcnemarFromCounts(130, 100, { method: 'exact' }).pValue;
    const approximate = mcnemarFromCounts(130, 100, { method: 'chi-square' }).pValue;
    expect(Math.abs(exact - approximate)).toBeLessThan(0.005);
  });

  it('keeps tiny p-values of large samples instead of rounding them to 0', () => {
    const result = mcnemarFromCounts(900, 100);
    expect(result.pValue).toBeGreaterThan(0);
    expect(result.pValue).toBeLessThan(1e-100);
    // scipy.stats.binomtest(100, 1000, 0.5).pvalue
    const exact = mcnemarFromCounts(900, 100, { method: 'exact' }).pValue;
    expect(Math.abs(exact - 1.3403435580012363e-161) / 1.3403435580012363e-161).toBeLessThan(1e-10);
  });

  it('gives p = 1 with no discordant pairs, by either method', () => {
    expect(mcnemarFromCounts(0, 0)).toEqual({ b: 0, c: 0, statistic: 0, pValue: 1, method: 'exact' });
    expect(mcnemarFromCounts(0, 0, { method: 'chi-square' })).toEqual({ b: 0, c: 0, statistic: 0, pValue: 1, method: 'chi-square' });
  });

  it('floors the continuity correction so equal counts give p = 1', () => {
    expect(mcnemarFromCounts(20, 20, { method: 'chi-square' })).toMatchObject({ statistic: 0, pValue: 1 });
  });

  it('rejects counts that are not non-negative integers', () => {
    expect(() => mcnemarFromCounts(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarFromCounts(1.5, 2)).toThrow(RangeError);
  });
});

describe('mcnemar', () => {
  it('counts only the discordant pairs, b for first-only passes and c for second-only', () => {
    const first = [true, true, true, false, false, true, false];
    const second = [true, false, false, true, false, true, false];
    expect(mcnemar(first, second)).toMatchObject({ b: 2, c: 1, method: 'exact', pValue: 1 });
  });

  it('gives p = 1 for no cases', () => {
    expect(mcnemar([], [])).toMatchObject({ b: 0, c: 0, pValue: 1 });
  });

  it('rejects outcome lists of different lengths', () => {
    expect(() => mcnemar([true], [true, false])).toThrow(RangeError);
  });
});
