import { describe, expect, it } from 'vitest';
import { krippendorffAlpha, krippendorffAlphaFromRatings, type MaybeAlphaValue, type UnitRating } from './krippendorff-alpha.ts';

/** The paper prints raters as rows; the API takes units as rows. */
function transpose<T>(rows: readonly (readonly T[])[]): T[][] {
  return rows[0]!.map((_, column) => rows.map((row) => row[column]!));
}

const _ = null;
// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: coders A-D × 12 units.
const KRIPPENDORFF_2011 = transpose<MaybeAlphaValue>([
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
]);
// The worked example on Wikipedia's "Krippendorff's alpha" page: 3 raters × 15 units.
const WIKIPEDIA = transpose<MaybeAlphaValue>([
  [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
  [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
  [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
]);

// Published values: 0.743 / 0.815 / 0.849 / 0.797 (Krippendorff 2011) and 0.691 / 0.811
// (Wikipedia); the 12-digit figures come from an independent Python computation of the pairwise
// definition (no coincidence matrix), which reproduces every published value.
describe('krippendorffAlpha on published examples', () => {
  it('nominal alpha of Krippendorff 2011 is 0.743', () => {
    const result = krippendorffAlpha(KRIPPENDORFF_2011)!;
    expect(result.alpha).toBeCloseTo(0.743421052632, 12);
    expect(result.observedDisagreement).toBeCloseTo(0.2, 14);
    expect(result.expectedDisagreement).toBeCloseTo(0.779487179487, 12);
    expect(result.pairableValues).toBe(40);
    expect(result.units).toBe(11); // unit 12 has a single rating and cannot be paired
  });

  it('ordinal alpha of Krippendorff 2011 is 0.815', () => {
    const result = krippendorffAlpha(KRIPPENDORFF_2011, { metric: 'ordinal' })!;
    expect(result.alpha).toBeCloseTo(0.815387503755, 12);
    expect(result.observedDisagreement).toBeCloseTo(47.275, 10);
    expect(result.expectedDisagreement).toBeCloseTo(256.076923076923, 9);
  });

  it('interval alpha of Krippendorff 2011 is 0.849', () => {
    expect(krippendorffAlpha(KRIPPENDORFF_2011, { metric: 'interval' })!.alpha).toBeCloseTo(0.849107142857, 12);
  });

  it('ratio alpha of Krippendorff 2011 is 0.797', () => {
    expect(krippendorffAlpha(KRIPPENDORFF_2011, { metric: 'ratio' })!.alpha).toBeCloseTo(0.797402774712, 12);
  });

  it('nominal and interval alpha of the Wikipedia example are 0.691 and 0.811', () => {
    const nominal = krippendorffAlpha(WIKIPEDIA)!;
    expect(nominal.alpha).toBeCloseTo(0.691358024691, 12);
    expect(nominal.pairableValues).toBe(26);
    expect(krippendorffAlpha(WIKIPEDIA, { metric: 'interval' })!.alpha).toBeCloseTo(0.810844892812, 12);
  });

  it('binary data of Krippendorff 2011 section A gives 0.095', () => {
    const data = transpose([
      [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
      [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    ]);
    expect(krippendorffAlpha(data)!.alpha).toBeCloseTo(1 - (19 * 4) / (14 * 6), 14);
  });
});

describe('krippendorffAlpha values and options', () => {
  it('takes string labels for nominal data', () => {
    const data = transpose<MaybeAlphaValue>([
      ['pos', 'neg', 'neu', _],
      ['pos', 'neg', 'neu', 'pos'],
      ['pos', 'neg', 'pos', 'pos'],
    ]);
    expect(krippendorffAlpha(data)!.alpha).toBeCloseTo(0.722222222222, 12);
  });

  it('orders string labels by `levels` for ordinal data', () => {
    const levels = ['very low', 'low', 'mid', 'high', 'very high'];
    const named = KRIPPENDORFF_2011.map((row) => row.map((value) => (value === null ? null : levels[(value as number) - 1]!)));
    expect(krippendorffAlpha(named, { metric: 'ordinal', levels })!.alpha).toBeCloseTo(0.815387503755, 12);
  });

  it('treats null, undefined and NaN alike as missing, and allows ragged rows', () => {
    const withNull = krippendorffAlpha(KRIPPENDORFF_2011)!.alpha;
    const withOthers = KRIPPENDORFF_2011.map((row, i) => row.map((value) => (value === null ? (i % 2 ? undefined : Number.NaN) : value)));
    expect(krippendorffAlpha(withOthers)!.alpha).toBe(withNull);
    const ragged = [[1, 1], [2, 2, 2], [1, 2]];
    const padded = [[1, 1, null], [2, 2, 2], [1, 2, null]];
    expect(krippendorffAlpha(ragged)).toEqual(krippendorffAlpha(padded));
  });

  it('ignores units rated only once', () => {
    const base = krippendorffAlpha(WIKIPEDIA)!;
    const extra = krippendorffAlpha([...WIKIPEDIA, [5, null, null], [null, 2, null]])!;
    expect(extra).toEqual(base);
  });

  it('does not depend on the order of units or of raters', () => {
    const base = krippendorffAlpha(KRIPPENDORFF_2011, { metric: 'ordinal' })!.alpha;
    const shuffled = [...KRIPPENDORFF_2011].reverse().map((row) => [...row].reverse());
    expect(krippendorffAlpha(shuffled, { metric: 'ordinal' })!.alpha).toBeCloseTo(base, 14);
  });

  it('interval alpha is unchanged by a linear rescaling; ordinal by any monotone one', () => {
    const rescale = (f: (x: number) => number): MaybeAlphaValue[][] =>
      KRIPPENDORFF_2011.map((row) => row.map((value) => (value === null ? null : f(value as number))));
    expect(krippendorffAlpha(rescale((x) => 2.5 * x - 7), { metric: 'interval' })!.alpha).toBeCloseTo(0.849107142857, 12);
    expect(krippendorffAlpha(rescale((x) => x ** 3), { metric: 'ordinal' })!.alpha).toBeCloseTo(0.815387503755, 12);
  });

  it('is exactly 1 for perfect agreement', () => {
    const data = [[1, 1, 1], [2, 2, 2], [3, 3, null], [4, 4, 4]];
    for (const metric of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      expect(krippendorffAlpha(data, { metric })!.alpha).toBe(1);
    }
  });

  it('is NaN when every pairable value is the same (no variation, alpha is 0/0)', () => {
    const result = krippendorffAlpha([[2, 2], [2, 2, 2], [7, null]])!;
    expect(result.alpha).toBeNaN();
    expect(result.observedDisagreement).toBe(0);
    expect(result.expectedDisagreement).toBe(0);
  });

  it('returns null when no unit has two ratings', () => {
    expect(krippendorffAlpha([])).toBeNull();
    expect(krippendorffAlpha([[1, null], [null, 2]])).toBeNull();
  });

  it('treats ratio values 0 and 0 as identical', () => {
    expect(krippendorffAlpha([[0, 0], [1, 1], [2, 2]], { metric: 'ratio' })!.alpha).toBe(1);
  });

  it('rejects values the metric cannot measure', () => {
    expect(() => krippendorffAlpha([['a', 'b']], { metric: 'interval' })).toThrow(/finite numbers/);
    expect(() => krippendorffAlpha([[1, -1]], { metric: 'ratio' })).toThrow(/>= 0/);
    expect(() => krippendorffAlpha([['low', 'high']], { metric: 'ordinal' })).toThrow(/ordered `levels`/);
    expect(() => krippendorffAlpha([['low', 'huge']], { metric: 'ordinal', levels: ['low', 'high'] })).toThrow(/not one of the levels/);
    expect(() => krippendorffAlpha([[1, 9]], { levels: [1, 2] })).toThrow(/not one of the levels/);
    expect(() => krippendorffAlpha([[1, 2]], { metric: 'ordinal', levels: [1, 2, 1] })).toThrow(/must not repeat/);
  });
});

describe('krippendorffAlphaFromRatings', () => {
  const asRatings = (matrix: readonly (readonly MaybeAlphaValue[])[]): UnitRating[] =>
    matrix.flatMap((row, unit) => row.map((value, rater) => ({ unit: `u${unit}`, rater: `r${rater}`, value })));

  it('gives the same result as the matrix form', () => {
    for (const metric of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      expect(krippendorffAlphaFromRatings(asRatings(KRIPPENDORFF_2011), { metric })).toEqual(krippendorffAlpha(KRIPPENDORFF_2011, { metric }));
    }
  });

  it('needs no record for a missing rating, in any order', () => {
    const sparse = asRatings(WIKIPEDIA).filter((rating) => rating.value !== null).reverse();
    expect(krippendorffAlphaFromRatings(sparse)!.alpha).toBeCloseTo(0.691358024691, 12);
  });

  it('rejects a rater rating the same unit twice', () => {
    const ratings: UnitRating[] = [
      { unit: 1, rater: 'ann', value: 'a' },
      { unit: 1, rater: 'bob', value: 'a' },
      { unit: 1, rater: 'ann', value: 'b' },
    ];
    expect(() => krippendorffAlphaFromRatings(ratings)).toThrow(/rater ann rated unit 1 more than once/);
  });

  it('returns null for no ratings', () => {
    expect(krippendorffAlphaFromRatings([])).toBeNull();
  });
});
