// McNemar's test: do two configs fail on different cases more often than chance, judged on the
// same cases? Only the discordant pairs count: b (first passes, second fails) and c (the reverse).
import { assertNonNegativeInteger, assertSameLength } from './input-checks.ts';
import { binomialCdf, chiSquareSurvival } from './special-functions.ts';

export const MCNEMAR_METHODS = ['auto', 'exact', 'chi-square'] as const;
export type McNemarMethod = (typeof MCNEMAR_METHODS)[number];

/** Below this many discordant pairs 'auto' uses the exact binomial test. */
export const MCNEMAR_EXACT_BELOW = 25;

export interface McNemarResult {
  /** Cases the first passes and the second fails. */
  b: number;
  /** Cases the first fails and the second passes. */
  c: number;
  /** min(b, c) for the exact test; the continuity-corrected chi-square (1 df) otherwise. */
  statistic: number;
  /** Two-sided. 1 when there are no discordant pairs. */
  pValue: number;
  method: 'exact' | 'chi-square';
}

/** McNemar's test on paired pass/fail outcomes of two configs over the same cases. */
export function mcnemar(
  first: readonly boolean[],
  second: readonly boolean[],
  options: { method?: McNemarMethod } = {},
): McNemarResult {
  assertSameLength(first, second, 'first and second');
  let b = 0;
  let c = 0;
  for (let i = 0; i < first.length; i++) {
    if (first[i] && !second[i]) b++;
    else if (!first[i] && second[i]) c++;
  }
  return mcnemarFromCounts(b, c, options);
}

/**
 * McNemar's test from the discordant counts. 'auto' (default) is exact when b + c < 25, the
 * usual rule of thumb; the chi-square uses Edwards' continuity correction, floored at 0 so b = c
 * gives p = 1 rather than a spurious p < 1.
 */
export function mcnemarFromCounts(b: number, c: number, options: { method?: McNemarMethod } = {}): McNemarResult {
  assertNonNegativeInteger(b, 'b');
  assertNonNegativeInteger(c, 'c');
  const method = options.method ?? 'auto';
  const discordant = b + c;
  const exact = method === 'exact' || (method === 'auto' && discordant < MCNEMAR_EXACT_BELOW);
  if (exact) {
    const smaller = Math.min(b, c);
    const pValue = discordant === 0 ? 1 : Math.min(1, 2 * binomialCdf(smaller, discordant, 0.5));
    return { b, c, statistic: smaller, pValue, method: 'exact' };
  }
  if (discordant === 0) return { b, c, statistic: 0, pValue: 1, method: 'chi-square' };
  const corrected = Math.max(0, Math.abs(b - c) - 1);
  const statistic = (corrected * corrected) / discordant;
  return { b, c, statistic, pValue: chiSquareSurvival(statistic, 1), method: 'chi-square' };
}
