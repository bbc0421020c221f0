// Spearman's rank correlation, for calibrating a graded judge against reviewers' scores: ties get
// the average of the ranks they span, and rho is Pearson's r on those ranks.
import { assertFiniteNumbers, assertSameLength } from './input-checks.ts';

/** 1-based ranks; tied values share the mean of the ranks they occupy (e.g. [10, 20, 20] → [1, 2.5, 2.5]). */
export function averageRanks(values: readonly number[]): number[] {
  assertFiniteNumbers(values, 'values');
  const order = values.map((_, index) => index).sort((i, j) => values[i]! - values[j]!);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 .. end
    for (let i = start; i < end; i++) ranks[order[i]!] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Spearman's rho of paired observations. Null below two pairs; NaN when either side is constant
 * (no ranking to correlate with).
 */
export function spearmanRho(x: readonly number[], y: readonly number[]): number | null {
  assertSameLength(x, y, 'x and y');
  if (x.length < 2) return null;
  return pearson(averageRanks(x), averageRanks(y));
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i]!;
    meanY += y[i]!;
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  // Clamp the last-bit overshoot so perfect rankings read exactly ±1.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
