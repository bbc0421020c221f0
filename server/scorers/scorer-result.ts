// Builds a ScoreResult the same way for every scorer: score clamped to 0–1 and rounded, pass from the threshold.
import type { ScoreResult } from '../domain/eval.ts';

export function scoreResult(score: number, threshold: number, reason: string): ScoreResult {
  const s = Number.isFinite(score) ? Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000 : 0;
  return { score: s, pass: s >= threshold, reason };
}

/**
 * No evidence to score on (e.g. accuracy with no reference, facts or record to check): `na`, left out
 * of means and pass rates and counted apart. Score 0 and pass false only so that a reader that does
 * not know `na` never takes it for a good result.
 */
export function notApplicable(reason: string): ScoreResult {
  return { score: 0, pass: false, na: true, reason: `n/a: ${reason}` };
}

/** 0.8 -> "0.80". */
export const fmt = (n: number): string => n.toFixed(2);
