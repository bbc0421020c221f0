// Escalation: 1 when the reply's hand-off decision (marker or transfer words) matches the case's
// expected_escalation, 0 otherwise. Precision and recall over a suite come from escalationConfusion.
import { z } from 'zod';
import type { ScoreInput, Scorer, ScoreResult } from '../domain/eval.ts';
import { escalationExpectation, type EscalationExpectation } from './escalation-expectation.ts';
import { describeHandoff, detectHandoff } from './handoff.ts';
import { notApplicable, scoreResult } from './scorer-result.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';

export const EscalationOptions = z.strictObject({
  threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.escalation),
  /** Count transfer words in the text as a hand-off, not only the [[handoff]] marker. */
  textual_handoff: z.boolean().default(true),
});
export type EscalationOptions = z.input<typeof EscalationOptions>;

export function createEscalationScorer(options: EscalationOptions = {}): Scorer {
  const o = EscalationOptions.parse(options);
  return {
    name: 'escalation',
    threshold: o.threshold,
    method: 'offline',
    async score(input: ScoreInput): Promise<ScoreResult> {
      const decision = o.textual_handoff ? detectHandoff(input) : detectHandoff({ reply: '', handoff: input.handoff });
      const expectation = escalationExpectation(input.case, input);
      // Only the logged outcome (or nothing) says what was needed: there is no right decision to check against.
      if (!expectation.known) return notApplicable(`no label says whether a hand-off was needed; the reply ${describeHandoff(decision)}`);
      const expected = expectation.expected;
      const right = decision.handedOff === expected;
      let reason: string;
      const why = expectationWhy(expectation);
      if (right) reason = expected ? `${describeHandoff(decision)}, as the case needs${why} (true positive)` : 'does not hand off, and the case does not need it (true negative)';
      else reason = expected ? `MISSED: does not hand off, but the case needs a human${why} (false negative)` : `NEEDLESS: ${describeHandoff(decision)}, but the case does not need a human (false positive)`;
      return scoreResult(right ? 1 : 0, o.threshold, reason);
    },
  };
}

/** Why the case needs a person, when the customer's words or the reference's action decided it. */
function expectationWhy(e: EscalationExpectation): string {
  if (e.source === 'request') return ` (the customer asked for a person: “${e.request}”)`;
  if (e.source === 'action') return ` (the logged agent acted: “${e.action}”, which this candidate cannot do)`;
  return '';
}

export interface EscalationRow {
  /** The case's expected_escalation. */
  expected: boolean;
  /** The escalation scorer's pass for that case: the decision was right. */
  pass: boolean;
}

export interface EscalationConfusion {
  /** Handed off when needed. */
  tp: number;
  /** Handed off needlessly. */
  fp: number;
  /** Not handed off when needed. */
  fn: number;
  /** Not handed off, rightly. */
  tn: number;
  /** tp / (tp + fp): of the hand-offs, the share that were needed; NaN when there were none. */
  precision: number;
  /** tp / (tp + fn): of the cases that needed one, the share handed off; NaN when none needed one. */
  recall: number;
}

/**
 * Confusion counts of the hand-off decision over per-case results. Each row is the case's expected
 * decision and whether the escalation scorer passed: a pass means the reply decided as expected, so
 * the reply's decision is `expected` on a pass and `!expected` on a fail. Works on stored results
 * without re-reading replies. (A judge's pass also weighs how the hand-off was worded, so with a
 * judge these counts are approximate.)
 */
export function escalationConfusion(rows: Iterable<EscalationRow>): EscalationConfusion {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const { expected, pass } of rows) {
    if (expected && pass) tp++;
    else if (expected) fn++;
    else if (pass) tn++;
    else fp++;
  }
  return { tp, fp, fn, tn, precision: tp + fp === 0 ? NaN : tp / (tp + fp), recall: tp + fn === 0 ? NaN : tp / (tp + fn) };
}
