import { describe, expect, it } from 'vitest';
import { cohenKappa, cohenKappaFromTable } from './cohen-kappa.ts';

/** Expands a 2x2 yes/no table (rater 1 rows, rater 2 columns) into paired labels. */
function pairs(yesYes: number, yesNo: number, noYes: number, noNo: number): [string[], string[]] {
  const first: string[] = [];
  const second: string[] = [];
  const add = (a: string, b: string, count: number): void => {
    for (let i = 0; i < count; i++) {
      first.push(a);
      second.push(b);
    }
  };
  add('yes', 'yes', yesYes);
  add('yes', 'no', yesNo);
  add('no', 'yes', noYes);
  add('no', 'no', noNo);
  return [first, second];
}

describe('cohenKappa', () => {
  it('reproduces the textbook example: 20/5/10/15 → po 0.7, pe 0.5, kappa 0.4', () => {
    const [a, b] = pairs(20, 5, 10, 15);
    const result = cohenKappa(a, b)!;
    expect(result.kappa).toBeCloseTo(0.4, 14);
    expect(result.observedAgreement).toBeCloseTo(0.7, 14);
    expect(result.expectedAgreement).toBeCloseTo(0.5, 14);
    expect(result.n).toBe(50);
  });

  it('shows how equal raw agreement gives different kappa under different marginals', () => {
    // Both have po = 0.6; pe differs (0.54 vs 0.46).
    expect(cohenKappa(...pairs(45, 15, 25, 15))!.kappa).toBeCloseTo(0.13043478260869554, 13);
    expect(cohenKappa(...pairs(25, 35, 5, 35))!.kappa).toBeCloseTo(0.2592592592592592, 13);
  });

  it('handles more than two nominal categories (independent numpy check)', () => {
    const first = ['billing', 'tech', 'tech', 'refund', 'billing', 'tech', 'refund', 'billing', 'tech', 'refund'];
    const second = ['billing', 'tech', 'refund', 'refund', 'billing', 'billing', 'refund', 'billing', 'tech', 'tech'];
    expect(cohenKappa(first, second)!.kappa).toBeCloseTo(0.5522388059701492, 14);
  });

  it('is 1 for perfect agreement over two or more labels', () => {
    expect(cohenKappa(['a', 'b', 'a'], ['a', 'b', 'a'])!.kappa).toBe(1);
  });

  it('is -1 when two balanced raters always disagree', () => {
    expect(cohenKappa([true, false], [false, true])!.kappa).toBe(-1);
  });

  it('is 0 when one rater always gives the same label and the other does not', () => {
    expect(cohenKappa(['ok', 'ok', 'ok', 'ok'], ['ok', 'bad', 'ok', 'bad'])!.kappa).toBe(0);
  });

  it('is NaN, not 1, when both raters used one and the same label: chance explains it all', () => {
    const result = cohenKappa(['ok', 'ok', 'ok'], ['ok', 'ok', 'ok'])!;
    expect(result.kappa).toBeNaN();
    expect(result.observedAgreement).toBe(1);
    expect(result.expectedAgreement).toBe(1);
  });

  it('returns null for no items', () => {
    expect(cohenKappa([], [])).toBeNull();
  });

  it('rejects unpaired input and labels outside the given list', () => {
    expect(() => cohenKappa(['a'], ['a', 'b'])).toThrow(RangeError);
    expect(() => cohenKappa(['a', 'x'], ['a', 'b'], { labels: ['a', 'b'] })).toThrow(/not one of the labels/);
  });
});

describe('weighted cohenKappa', () => {
  // Independent numpy implementation with weights |i-j| and (i-j)^2 over the scale positions.
  const first = [1, 2, 3, 4, 5, 3, 2, 4, 5, 1, 3, 3];
  const second = [1, 3, 3, 5, 4, 2, 2, 4, 5, 2, 3, 1];

  it.each([
    ['none', 0.368421052631579],
    ['linear', 0.6037735849056602],
    ['quadratic', 0.7804878048780488],
  ] as const)('%s weights on a 1-5 rubric', (weights, expected) => {
    expect(cohenKappa(first, second, { weights })!.kappa).toBeCloseTo(expected, 14);
  });

  it('credits near misses: quadratic >= linear >= unweighted here', () => {
    const none = cohenKappa(first, second)!.kappa;
    const linear = cohenKappa(first, second, { weights: 'linear' })!.kappa;
    const quadratic = cohenKappa(first, second, { weights: 'quadratic' })!.kappa;
    expect(linear).toBeGreaterThan(none);
    expect(quadratic).toBeGreaterThan(linear);
  });

  it('sorts numeric labels numerically, not in order of appearance', () => {
    const reversed = cohenKappa([...first].reverse(), [...second].reverse(), { weights: 'linear' })!;
    expect(reversed.kappa).toBeCloseTo(0.6037735849056602, 14);
  });

  it('uses the full scale from `labels` when some points went unused', () => {
    const a = [1, 2, 5, 5, 1, 2, 5, 1];
    const b = [2, 2, 5, 1, 1, 5, 5, 2];
    expect(cohenKappa(a, b, { weights: 'linear' })!.kappa).toBeCloseTo(0.31034482758620685, 14);
    expect(cohenKappa(a, b, { weights: 'linear', labels: [1, 2, 3, 4, 5] })!.kappa).toBeCloseTo(0.38983050847457623, 14);
    expect(cohenKappa(a, b, { weights: 'quadratic', labels: [1, 2, 3, 4, 5] })!.kappa).toBeCloseTo(0.44329896907216493, 14);
  });

  it('orders string labels by `labels`, and refuses to guess an order without it', () => {
    const a = ['low', 'mid', 'high', 'mid'];
    const b = ['low', 'high', 'high', 'low'];
    const scale = ['low', 'mid', 'high'];
    const asNumbers = cohenKappa([1, 2, 3, 2], [1, 3, 3, 1], { weights: 'quadratic' })!.kappa;
    expect(cohenKappa(a, b, { weights: 'quadratic', labels: scale })!.kappa).toBeCloseTo(asNumbers, 14);
    expect(() => cohenKappa(a, b, { weights: 'linear' })).toThrow(/ordered `labels`/);
  });

  it('is NaN for a single shared label whatever the weights', () => {
    expect(cohenKappa([3, 3], [3, 3], { weights: 'quadratic' })!.kappa).toBeNaN();
  });
});

describe('cohenKappaFromTable', () => {
  it('agrees with the paired-label form', () => {
    expect(cohenKappaFromTable([[20, 5], [10, 15]])!.kappa).toBeCloseTo(0.4, 14);
  });

  it('returns null for an empty table and rejects non-square or negative tables', () => {
    expect(cohenKappaFromTable([[0, 0], [0, 0]])).toBeNull();
    expect(cohenKappaFromTable([])).toBeNull();
    expect(() => cohenKappaFromTable([[1, 2], [3]])).toThrow(/square/);
    expect(() => cohenKappaFromTable([[1, -2], [3, 4]])).toThrow(RangeError);
  });
});
