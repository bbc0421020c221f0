// Krippendorff's alpha: agreement among any number of raters, tolerating missing ratings, for
// nominal, ordinal, interval and ratio data. Follows Krippendorff (2011), "Computing
// Krippendorff's Alpha-Reliability": coincidences of pairable values within units, then
// alpha = 1 - observed disagreement / expected disagreement.

export const ALPHA_METRICS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;
export type AlphaMetric = (typeof ALPHA_METRICS)[number];

export type AlphaValue = string | number | boolean;
/** null, undefined and NaN mark a missing rating. */
export type MaybeAlphaValue = AlphaValue | null | undefined;

export interface UnitRating {
  unit: string | number;
  rater: string | number;
  value: MaybeAlphaValue;
}

export interface AlphaOptions {
  /** Default 'nominal'. 'interval' and 'ratio' need numbers; 'ratio' needs them >= 0. */
  metric?: AlphaMetric;
  /**
   * The allowed values; a value outside them throws. For 'ordinal' this is the scale order
   * (needed when values are not numbers, e.g. ['low', 'mid', 'high']).
   */
  levels?: readonly AlphaValue[];
}

export interface AlphaResult {
  /**
   * 1 is perfect agreement, 0 chance level, below 0 systematic disagreement. NaN when every
   * pairable value is the same: with no variation alpha is 0/0 and says nothing.
   */
  alpha: number;
  /** D_o, on the metric's scale of squared differences. */
  observedDisagreement: number;
  /** D_e, on the same scale. */
  expectedDisagreement: number;
  /** n: values in units rated by at least two raters (the only ones alpha can use). */
  pairableValues: number;
  /** Units rated by at least two raters. */
  units: number;
}

/**
 * Alpha from a units × raters matrix (one row per unit, one column per rater; rows may be
 * ragged). Null when no unit has two ratings. Note Krippendorff's paper prints raters as rows.
 */
export function krippendorffAlpha(matrix: readonly (readonly MaybeAlphaValue[])[], options: AlphaOptions = {}): AlphaResult | null {
  return alphaOfUnits(matrix.map((row) => row.filter(isPresent)), options);
}

/** Alpha from one record per rating. A rater rating the same unit twice throws. */
export function krippendorffAlphaFromRatings(ratings: readonly UnitRating[], options: AlphaOptions = {}): AlphaResult | null {
  const units = new Map<string | number, Map<string | number, AlphaValue>>();
  for (const { unit, rater, value } of ratings) {
    if (!isPresent(value)) continue;
    let byRater = units.get(unit);
    if (byRater === undefined) units.set(unit, (byRater = new Map()));
    if (byRater.has(rater)) throw new RangeError(`rater ${String(rater)} rated unit ${String(unit)} more than once`);
    byRater.set(rater, value);
  }
  return alphaOfUnits([...units.values()].map((byRater) => [...byRater.values()]), options);
}

function isPresent(value: MaybeAlphaValue): value is AlphaValue {
  return value !== null && value !== undefined && !(typeof value === 'number' && Number.isNaN(value));
}

function alphaOfUnits(units: readonly AlphaValue[][], options: AlphaOptions): AlphaResult | null {
  const metric = options.metric ?? 'nominal';
  const allValues = units.flat();
  checkValues(allValues, metric, options.levels);
  const pairable = units.filter((unit) => unit.length >= 2);
  if (pairable.length === 0) return null;

  const domain = orderedDomain(pairable.flat(), metric, options.levels);
  const index = new Map(domain.map((value, i) => [value, i]));
  // n_c: how often each value occurs among pairable values (the coincidence matrix's marginals).
  const marginals = new Float64Array(domain.length);
  const unitCounts = pairable.map((unit) => {
    const counts = new Map<number, number>();
    for (const value of unit) {
      const i = index.get(value)!;
      counts.set(i, (counts.get(i) ?? 0) + 1);
      marginals[i]!++;
    }
    return counts;
  });
  let n = 0;
  for (const count of marginals) n += count;

  // Observed: each ordered pair of values from different raters in a unit of m values weighs
  // 1/(m-1). Summed unit by unit, so no values × values coincidence matrix is ever held.
  const distance = squaredDistance(metric, domain, marginals);
  let observed = 0;
  for (const [u, counts] of unitCounts.entries()) {
    let unitSum = 0;
    for (const [c, countC] of counts) {
      for (const [k, countK] of counts) if (c < k) unitSum += 2 * countC * countK * distance(c, k);
    }
    observed += unitSum / (pairable[u]!.length - 1);
  }
  const observedDisagreement = observed / n;
  const expectedDisagreement = expectedPairDistance(metric, domain, marginals, distance, n) / (n * (n - 1));
  return {
    alpha: expectedDisagreement === 0 ? NaN : 1 - observedDisagreement / expectedDisagreement,
    observedDisagreement,
    expectedDisagreement,
    pairableValues: n,
    units: pairable.length,
  };
}

// Σ over ordered pairs of distinct domain entries of n_c n_k δ²(c, k). Closed forms keep nominal
// and interval linear in the number of distinct values (continuous scores have many).
function expectedPairDistance(
  metric: AlphaMetric,
  domain: readonly AlphaValue[],
  marginals: Float64Array,
  distance: (c: number, k: number) => number,
  n: number,
): number {
  if (metric === 'nominal') {
    let squares = 0;
    for (const count of marginals) squares += count * count;
    return n * n - squares;
  }
  if (metric === 'interval') {
    // Σ n_c n_k (v_c - v_k)² = 2n Σ n_c (v_c - mean)², centred to avoid cancellation.
    const numbers = domain as readonly number[];
    let mean = 0;
    for (let c = 0; c < numbers.length; c++) mean += marginals[c]! * numbers[c]!;
    mean /= n;
    let spread = 0;
    for (let c = 0; c < numbers.length; c++) spread += marginals[c]! * (numbers[c]! - mean) ** 2;
    return 2 * n * spread;
  }
  let total = 0;
  for (let c = 0; c < marginals.length; c++) {
    for (let k = c + 1; k < marginals.length; k++) total += 2 * marginals[c]! * marginals[k]! * distance(c, k);
  }
  return total;
}

function checkValues(values: readonly AlphaValue[], metric: AlphaMetric, levels: readonly AlphaValue[] | undefined): void {
  const allowed = levels === undefined ? undefined : new Set(levels);
  if (levels !== undefined && allowed!.size !== levels.length) throw new RangeError('levels must not repeat a value');
  for (const value of values) {
    if (allowed !== undefined && !allowed.has(value)) throw new RangeError(`value ${String(value)} is not one of the levels`);
    if (metric === 'interval' || metric === 'ratio') {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new RangeError(`${metric} alpha needs finite numbers, got ${String(value)}`);
      }
      if (metric === 'ratio' && value < 0) throw new RangeError(`ratio alpha needs values >= 0, got ${value}`);
    }
  }
}

function orderedDomain(values: readonly AlphaValue[], metric: AlphaMetric, levels: readonly AlphaValue[] | undefined): AlphaValue[] {
  const seen = new Set(values);
  if (metric !== 'ordinal') return [...seen];
  if (levels !== undefined) return levels.filter((level) => seen.has(level));
  const distinct = [...seen];
  if (!distinct.every((value) => typeof value === 'number')) {
    throw new RangeError('ordinal alpha needs numeric values or an ordered `levels` option');
  }
  return (distinct as number[]).sort((a, b) => a - b);
}

// δ²(c, k) between domain entries c and k (Krippendorff 2011, section E).
function squaredDistance(metric: AlphaMetric, domain: readonly AlphaValue[], marginals: Float64Array): (c: number, k: number) => number {
  switch (metric) {
    case 'nominal':
      return () => 1;
    case 'ordinal': {
      // Ranks by frequency: the values between c and k, counting c and k themselves half.
      const cumulative = new Float64Array(marginals.length + 1);
      for (let g = 0; g < marginals.length; g++) cumulative[g + 1] = cumulative[g]! + marginals[g]!;
      return (c, k) => {
        const [lo, hi] = c < k ? [c, k] : [k, c];
        const between = cumulative[hi + 1]! - cumulative[lo]! - (marginals[lo]! + marginals[hi]!) / 2;
        return between * between;
      };
    }
    case 'interval': {
      const numbers = domain as readonly number[];
      return (c, k) => (numbers[c]! - numbers[k]!) ** 2;
    }
    case 'ratio': {
      const numbers = domain as readonly number[];
      return (c, k) => {
        const sum = numbers[c]! + numbers[k]!;
        return sum === 0 ? 0 : ((numbers[c]! - numbers[k]!) / sum) ** 2;
      };
    }
  }
}
