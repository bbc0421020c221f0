import { describe, expect, it } from 'vitest';
import { meanConfidenceInterval, proportionInterval, wilsonInterval } from './confidence-interval.ts';

const SCORES = [0.2, 0.9, 0.7, 1.0, 0.4, 0.65, 0.8];

describe('meanConfidenceInterval', () => {
  // scipy.stats.t.interval(level, n - 1, loc=mean, scale=sem) on SCORES.
  it('gives the Student t interval by default', () => {
    const interval = meanConfidenceInterval(SCORES)!;
    expect(interval.mean).toBeCloseTo(0.6642857142857143, 14);
    expect(interval.low).toBeCloseTo(0.40445743001607404, 11);
    expect(interval.high).toBeCloseTo(0.9241139985553545, 11);
    expect(interval.n).toBe(7);
  });

  it('honours another confidence level', () => {
    const interval = meanConfidenceInterval(SCORES, { level: 0.9 })!;
    expect(interval.low).toBeCloseTo(0.45794677401018435, 11);
    expect(interval.high).toBeCloseTo(0.870624654561244, 11);
  });

  it('clips the interval to the given range and leaves it alone otherwise', () => {
    const scores = [1, 1, 1, 0.5];
    const open = meanConfidenceInterval(scores)!;
    expect(open.high).toBeGreaterThan(1);
    const clipped = meanConfidenceInterval(scores, { range: [0, 1] })!;
    expect(clipped.high).toBe(1);
    expect(clipped.low).toBe(open.low);
  });

  it('rejects values outside the given range', () => {
    expect(() => meanConfidenceInterval([0.5, 1.2], { range: [0, 1] })).toThrow(/outside \[0, 1\]/);
    expect(() => meanConfidenceInterval([0.5], { range: [1, 0] })).toThrow(RangeError);
  });

  it('returns null for no values', () => {
    expect(meanConfidenceInterval([])).toBeNull();
    expect(meanConfidenceInterval([], { method: 'bootstrap' })).toBeNull();
  });

  it('gives one value the whole range (or ±Infinity): one score says nothing about spread', () => {
    expect(meanConfidenceInterval([0.7])).toEqual({ mean: 0.7, low: -Infinity, high: Infinity, n: 1 });
    expect(meanConfidenceInterval([0.7], { range: [0, 1] })).toEqual({ mean: 0.7, low: 0, high: 1, n: 1 });
    expect(meanConfidenceInterval([0.7], { method: 'bootstrap', range: [0, 1] })).toEqual({ mean: 0.7, low: 0, high: 1, n: 1 });
  });

  it('gives identical values a zero-width interval', () => {
    expect(meanConfidenceInterval([0.5, 0.5, 0.5])).toEqual({ mean: 0.5, low: 0.5, high: 0.5, n: 3 });
  });

  it('uses the seeded bootstrap on request, reproducibly', () => {
    const interval = meanConfidenceInterval(SCORES, { method: 'bootstrap', iterations: 1000, seed: 3 })!;
    expect(interval.mean).toBeCloseTo(0.6642857142857143, 14);
    expect(interval.low).toBeCloseTo(0.4714285714285715, 12);
    expect(interval.high).toBeCloseTo(0.8428571428571429, 12);
    expect(meanConfidenceInterval(SCORES, { method: 'bootstrap', iterations: 1000, seed: 3 })).toEqual(interval);
  });

  it('rejects non-finite values and a bad level', () => {
    expect(() => meanConfidenceInterval([0.1, Number.NaN])).toThrow(RangeError);
    expect(() => meanConfidenceInterval([0.1, 0.2], { level: 95 })).toThrow(RangeError);
  });
});

describe('wilsonInterval', () => {
  // Reference: the Wilson formula evaluated in Python with z = scipy.stats.norm.ppf(0.975).
  it.each([
    [0, 10, 0, 0.2775327998628892],
    [5, 10, 0.236593090512564, 0.7634069094874361],
    [10, 10, 0.7224672001371107, 1],
    [81, 100, 0.7222115462093562, 0.8748524849023126],
    [1, 1, 0.20654931437723745, 1],
  ])('%d of %d passes gives [%d, %d]', (successes, n, low, high) => {
    const interval = wilsonInterval(successes, n)!;
    expect(interval.mean).toBe(successes / n);
    expect(interval.low).toBeCloseTo(low, 13);
    expect(interval.high).toBeCloseTo(high, 13);
    expect(interval.n).toBe(n);
  });

  it('is exactly 0 or 1 at the ends, never a rounding hair beyond', () => {
    expect(wilsonInterval(0, 7)!.low).toBe(0);
    expect(wilsonInterval(7, 7)!.high).toBe(1);
  });

  it('honours another confidence level', () => {
    const interval = wilsonInterval(81, 100, { level: 0.99 })!;
    expect(interval.low).toBeCloseTo(0.6909728946022774, 13);
    expect(interval.high).toBeCloseTo(0.8904502790139125, 13);
  });

  it('returns null when there are no trials', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
  });
});

describe('proportionInterval', () => {
  it('counts true outcomes as successes', () => {
    expect(proportionInterval([true, false, true, true, false, false, true, false, true, false])).toEqual(wilsonInterval(5, 10));
    expect(proportionInterval([])).toBeNull();
  });
});
