import { describe, expect, it } from 'vitest';
import { rocAuc } from './roc-auc.ts';

describe('rocAuc', () => {
  it('matches a hand count of ordered pairs', () => {
    // positives 0.8, 0.4, 0.35; negatives 0.7, 0.3, 0.1.
    // pairs won by the positive: 0.8 beats all 3, 0.4 beats 0.3 and 0.1, 0.35 beats 0.3 and 0.1 → 7 of 9.
    expect(rocAuc([0.8, 0.7, 0.4, 0.35, 0.3, 0.1], [true, false, true, true, false, false])).toBeCloseTo(7 / 9, 14);
  });

  it('counts a tie between a positive and a negative as one half', () => {
    // positive 0.5 vs negatives 0.5 (tie, 0.5) and 0.2 (win, 1); positive 0.9 wins both → 3.5 of 4.
    expect(rocAuc([0.5, 0.5, 0.2, 0.9], [true, false, false, true])).toBeCloseTo(3.5 / 4, 14);
  });

  it('agrees with the pair count on an unsorted example', () => {
    // positives 0.35, 0.8, 0.9, 0.2 vs negatives 0.1, 0.4, 0.65, 0.3: 2 + 4 + 4 + 1 = 11 of 16 pairs.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8, 0.65, 0.9, 0.2, 0.3], [false, false, true, true, false, true, true, false])).toBeCloseTo(0.6875, 14);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 for constant scores', () => {
    expect(rocAuc([1, 2, 3, 4], [false, false, true, true])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [false, false, true, true])).toBe(0);
    expect(rocAuc([7, 7, 7], [true, false, true])).toBe(0.5);
  });

  it('is null when one class is empty and throws on bad input', () => {
    expect(rocAuc([0.1, 0.2], [true, true])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
    expect(() => rocAuc([0.1], [true, false])).toThrow(RangeError);
    expect(() => rocAuc([Number.NaN, 1], [true, false])).toThrow(RangeError);
  });
});
