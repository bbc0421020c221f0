// Cohen's kappa: agreement of two raters on the same items beyond what their label frequencies
// would give by chance. Weighted kappa (linear or quadratic) credits near misses on ordered scales
// such as a 1-5 tone rubric.
import { confusionMatrix } from './confusion-matrix.ts';
import { assertSameLength } from './input-checks.ts';

export const KAPPA_WEIGHTS = ['none', 'linear', 'quadratic'] as const;
export type KappaWeights = (typeof KAPPA_WEIGHTS)[number];

export type KappaLabel = string | number | boolean;

export interface KappaOptions<L extends KappaLabel> {
  /** 'none' (default) for nominal labels; 'linear' or 'quadratic' for ordered ones. */
  weights?: KappaWeights;
  /**
   * Every category, in scale order for weighted kappa (e.g. [1, 2, 3, 4, 5] even when nobody used
   * 3). Defaults to the labels seen, sorted numerically when all are numbers; weighted kappa on
   * labels that are not all numbers needs it. A label outside the list throws.
   */
  labels?: readonly L[];
}

export interface KappaResult {
  /**
   * 1 is perfect agreement, 0 chance level, below 0 worse than chance. NaN when chance agreement
   * is total (both raters used one and the same label): kappa is 0/0 there and says nothing about
   * the raters, whatever observedAgreement shows.
   */
  kappa: number;
  /** 1 - weighted observed disagreement (plain share of matches when unweighted). */
  observedAgreement: number;
  /** 1 - weighted disagreement expected from the two raters' marginals. */
  expectedAgreement: number;
  n: number;
}

/** Cohen's kappa of two raters' labels for the same items (paired by index). Null when empty. */
export function cohenKappa<L extends KappaLabel>(
  rater1: readonly L[],
  rater2: readonly L[],
  options: KappaOptions<L> = {},
): KappaResult | null {
  assertSameLength(rater1, rater2, 'rater1 and rater2');
  if (rater1.length === 0) return null;
  const weights = options.weights ?? 'none';
  const labels = options.labels ?? defaultLabels([...rater1, ...rater2], weights);
  return cohenKappaFromTable(confusionMatrix(rater1, rater2, labels).counts, { weights });
}

/**
 * Cohen's kappa from a square contingency table (rows: rater 1, columns: rater 2, categories in
 * scale order for weighted kappa). Null when the table holds no items.
 */
export function cohenKappaFromTable(
  table: readonly (readonly number[])[],
  options: { weights?: KappaWeights } = {},
): KappaResult | null {
  const k = table.length;
  for (const [i, row] of table.entries()) {
    if (row.length !== k) throw new RangeError(`table must be square: row ${i} has ${row.length} cells, expected ${k}`);
    for (const cell of row) if (!(Number.isFinite(cell) && cell >= 0)) throw new RangeError(`table cells must be counts >= 0, got ${cell}`);
  }
  const rowTotals = table.map((row) => row.reduce((sum, cell) => sum + cell, 0));
  const columnTotals = table.map((_, j) => table.reduce((sum, row) => sum + row[j]!, 0));
  const n = rowTotals.reduce((sum, total) => sum + total, 0);
  if (n === 0) return null;
  const weight = disagreementWeight(options.weights ?? 'none', k);
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = weight(i, j);
      if (w === 0) continue;
      observed += w * table[i]![j]!;
      expected += w * rowTotals[i]! * columnTotals[j]!;
    }
  }
  observed /= n;
  expected /= n * n;
  return {
    kappa: expected === 0 ? NaN : 1 - observed / expected,
    observedAgreement: 1 - observed,
    expectedAgreement: 1 - expected,
    n,
  };
}

// Disagreement weights scaled to [0, 1]; kappa itself does not depend on the scale.
function disagreementWeight(weights: KappaWeights, k: number): (i: number, j: number) => number {
  const span = Math.max(1, k - 1);
  switch (weights) {
    case 'none':
      return (i, j) => (i === j ? 0 : 1);
    case 'linear':
      return (i, j) => Math.abs(i - j) / span;
    case 'quadratic':
      return (i, j) => ((i - j) / span) ** 2;
  }
}

function defaultLabels<L extends KappaLabel>(seen: readonly L[], weights: KappaWeights): L[] {
  const labels = [...new Set(seen)];
  if (labels.every((label) => typeof label === 'number')) {
    const bad = labels.find((label) => !Number.isFinite(label));
    if (bad !== undefined) throw new RangeError(`numeric labels must be finite, got ${bad}`);
    return labels.sort((a, b) => (a as number) - (b as number));
  }
  if (weights !== 'none') throw new RangeError('weighted kappa needs numeric labels or an ordered `labels` option');
  return labels;
}
