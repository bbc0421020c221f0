// Consistency and best-of-k over repeated trials of each case. pass^k (DESIGN.md): the chance
// that k trials drawn without replacement from a case's n all pass, C(c,k)/C(n,k), averaged over
// cases. pass@k: the chance that at least one of k passes, 1 - C(n-c,k)/C(n,k) (Chen et al. 2021).
import { assertNonNegativeInteger, assertPositiveInteger } from './input-checks.ts';

export interface TrialCounts {
  /** n: trials run for the case. */
  trials: number;
  /** c: trials that passed. */
  passed: number;
}

/** C(c,k)/C(n,k) for one case, as a product of ratios each <= 1: no factorials, no overflow. */
export function casePassHatK(trials: number, passed: number, k: number): number {
  checkCase(trials, passed, k);
  let ratio = 1;
  for (let i = 0; i < k && ratio > 0; i++) ratio *= (passed - i) / (trials - i);
  return ratio;
}

/** 1 - C(n-c,k)/C(n,k) for one case, by the same product of ratios. */
export function casePassAtK(trials: number, passed: number, k: number): number {
  checkCase(trials, passed, k);
  const failed = trials - passed;
  let allFail = 1;
  for (let i = 0; i < k && allFail > 0; i++) allFail *= (failed - i) / (trials - i);
  return 1 - allFail;
}

/** pass^k: mean over cases of C(c,k)/C(n,k). Null when there are no cases. */
export function passHatK(cases: readonly TrialCounts[], k: number): number | null {
  return meanOver(cases, (item) => casePassHatK(item.trials, item.passed, k));
}

/** pass@k: mean over cases of 1 - C(n-c,k)/C(n,k). Null when there are no cases. */
export function passAtK(cases: readonly TrialCounts[], k: number): number | null {
  return meanOver(cases, (item) => casePassAtK(item.trials, item.passed, k));
}

function meanOver(cases: readonly TrialCounts[], score: (item: TrialCounts) => number): number | null {
  if (cases.length === 0) return null;
  let total = 0;
  for (const item of cases) total += score(item);
  return total / cases.length;
}

function checkCase(trials: number, passed: number, k: number): void {
  assertPositiveInteger(k, 'k');
  assertNonNegativeInteger(trials, 'trials');
  assertNonNegativeInteger(passed, 'passed');
  if (passed > trials) throw new RangeError(`passed (${passed}) cannot exceed trials (${trials})`);
  // With fewer than k trials the estimator is undefined; silently using n would inflate pass^k.
  if (k > trials) throw new RangeError(`k (${k}) cannot exceed the trials of a case (${trials})`);
}
