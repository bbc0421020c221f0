// First-contact resolution, offline: would this reply settle the issue with no further contact?
// Looks at coverage of the required facts (or of the reference answer when the case lists none),
// a concrete next step, the right hand-off decision, and not asking again for what the customer
// already gave (order number, phone, e-mail, tracking number). A reply that contradicts policy or
// the customer's record (as the accuracy scorer finds) is capped too: the customer will be back.
// A hand-off is the bot not resolving the issue, so it is capped unless the case needs one (a
// label, the customer asking for a person, or an action the logged agent took that this reply's
// author cannot); then a correct hand-off is the whole answer.
import { z } from 'zod';
import type { ScoreInput, Scorer } from '../domain/eval.ts';
import { analyzeAccuracy } from './accuracy.ts';
import { askedDetails, knownDetails, type DetailKind } from './case-context.ts';
import { escalationExpectation, type EscalationExpectation } from './escalation-expectation.ts';
import { describeHandoff, detectHandoff, type HandoffDecision } from './handoff.ts';
import { NEXT_STEP } from '../text/lexicons.ts';
import { fmt, scoreResult } from './scorer-result.ts';
import { distinct, factScore, findPhrases, quoteList, type FactMatch } from '../text/text-match.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';

export const FcrOptions = z.strictObject({
  threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.fcr),
  /** Share of the reference's terms that counts as full coverage, for cases without required facts. */
  full_reference_recall: z.number().gt(0).max(1).default(0.5),
  weights: z
    .strictObject({
      facts: z.number().min(0).default(0.65),
      next_step: z.number().min(0).default(0.2),
      escalation: z.number().min(0).default(0.15),
    })
    .default({ facts: 0.65, next_step: 0.2, escalation: 0.15 }),
  /** The most a reply with the wrong hand-off decision can score: the customer has to come back (or was sent away needlessly). */
  wrong_escalation_cap: z.number().min(0).max(1).default(0.4),
  /** Taken off, then capped, when the reply asks again for a detail the customer already gave. */
  repeat_ask_penalty: z.number().min(0).max(1).default(0.35),
  repeat_ask_cap: z.number().min(0).max(1).default(0.5),
  /** The most a reply that contradicts policy or the record (see accuracy) can score: the customer will be back. */
  contradiction_cap: z.number().min(0).max(1).default(0.4),
});
export type FcrOptions = z.input<typeof FcrOptions>;
type Options = z.output<typeof FcrOptions>;

export interface FcrAnalysis {
  facts: FactMatch[];
  /** 0–1: fact credit, or the scaled reference overlap when the case lists no facts. */
  coverage: number;
  coverageFrom: 'facts' | 'reference' | 'none' | 'handoff';
  nextStep: string[];
  handoff: HandoffDecision;
  expectedEscalation: boolean;
  /** Where the expected decision comes from (an unknown need is not a need). */
  expectation: EscalationExpectation;
  /** Details asked for again, with what the conversation already holds. */
  repeatedAsks: Array<{ kind: DetailKind; known: string; asked: string }>;
  /** Contradictions of policy or the record, as accuracy finds them. */
  contradictions: string[];
  score: number;
}

export function analyzeFcr(input: ScoreInput, options: FcrOptions = {}): FcrAnalysis {
  return analyze(input, FcrOptions.parse(options));
}

function analyze(input: ScoreInput, o: Options): FcrAnalysis {
  const c = input.case;
  const handoff = detectHandoff(input);
  const expectation = escalationExpectation(c, input);
  const escalationRight = handoff.handedOff === expectation.expected;
  // The case needs a person and the reply hands off: the hand-off covers the reference's hand-off
  // (whatever words it uses); the rest of the answer still has to be there.
  const correctHandoff = handoff.handedOff && expectation.expected;
  // Accuracy matches the same facts and reference (beyond a correct hand-off, the same way): its
  // analysis of this input is shared, so they are matched once.
  const accuracy = analyzeAccuracy(input);
  const facts = accuracy.facts as FactMatch[];
  const fs = factScore(facts);
  let coverage: number;
  let coverageFrom: FcrAnalysis['coverageFrom'];
  if (fs !== null) {
    coverage = fs;
    coverageFrom = 'facts';
  } else if (accuracy.referenceRecall !== null) {
    coverage = Math.min(1, accuracy.referenceRecall / o.full_reference_recall);
    coverageFrom = 'reference';
  } else if (correctHandoff) {
    coverage = 1;
    coverageFrom = 'handoff';
  } else {
    coverage = 1;
    coverageFrom = 'none';
  }

  const asked = askedDetails(input.reply);
  const askClauses = new Set(asked.values());
  // Asking for a detail is not a next step, whatever words it uses ("请您提供订单号").
  const nextStep = distinct(findPhrases(input.reply, NEXT_STEP).filter((h) => !h.negated && !askClauses.has(h.clause)));
  const hasNextStep = nextStep.length > 0 || (handoff.handedOff && escalationRight);

  const known = knownDetails(c);
  const repeatedAsks: FcrAnalysis['repeatedAsks'] = [];
  for (const [kind, clause] of asked) {
    const k = known.get(kind);
    if (k !== undefined) repeatedAsks.push({ kind, known: k, asked: clause });
  }

  const w = o.weights;
  const total = w.facts + w.next_step + w.escalation || 1;
  let score = (w.facts * coverage + w.next_step * (hasNextStep ? 1 : 0) + w.escalation * (escalationRight ? 1 : 0)) / total;
  if (!escalationRight) score = Math.min(score, o.wrong_escalation_cap);
  if (repeatedAsks.length > 0) score = Math.min(score - o.repeat_ask_penalty, o.repeat_ask_cap);
  const contradictions = accuracy.contradictions as string[];
  if (contradictions.length > 0) score = Math.min(score, o.contradiction_cap);
  return { facts, coverage, coverageFrom, nextStep, handoff, expectedEscalation: expectation.expected, expectation, repeatedAsks, contradictions, score };
}

export function fcrReason(a: FcrAnalysis): string {
  const parts: string[] = [];
  if (a.coverageFrom === 'facts') {
    const found = a.facts.filter((f) => f.credit === 1).length;
    const missing = a.facts.filter((f) => f.credit < 1).map((f) => f.fact);
    parts.push(`facts ${found}/${a.facts.length}` + (missing.length > 0 ? ` (missing or partial: ${quoteList(missing)})` : ''));
  } else if (a.coverageFrom === 'reference') {
    parts.push(`no required facts; reference coverage ${fmt(a.coverage)}`);
  } else if (a.coverageFrom === 'handoff') {
    parts.push(a.expectation.source === 'action' ? 'the reference is the action a person has to take, and the reply hands off' : 'the reference is only the hand-off the case needs, and the reply hands off');
  } else {
    parts.push('no required facts or reference answer');
  }
  parts.push(a.nextStep.length > 0 ? `next step ${quoteList(a.nextStep.slice(0, 2))}` : a.handoff.handedOff ? 'next step: the hand-off' : 'no concrete next step');
  const e = a.expectation;
  const expected =
    e.source === 'request' ? `the customer asked for a person (“${e.request}”)`
    : e.source === 'action' ? `the logged agent resolved it by acting (“${e.action}”), which this candidate cannot do`
    : e.source === 'unknown' ? 'no label says a hand-off was needed (a hand-off is not the bot resolving it)'
    : a.expectedEscalation ? 'expected a hand-off'
    : 'no hand-off expected';
  if (a.handoff.handedOff === a.expectedEscalation) parts.push(`${describeHandoff(a.handoff)}, as ${expected}`);
  else parts.push(`${e.source === 'unknown' ? 'NOT RESOLVED BY THE BOT' : 'WRONG ESCALATION'}: ${describeHandoff(a.handoff)}, ${expected}`);
  for (const x of a.contradictions) parts.push(`CONTRADICTION: ${x}`);
  for (const r of a.repeatedAsks) parts.push(`ASKS AGAIN for the ${r.kind} (“${r.asked}”) though the conversation has ${r.known}`);
  return `${parts.join('; ')} -> ${fmt(Math.max(0, a.score))}`;
}

export function createFcrScorer(options: FcrOptions = {}): Scorer {
  const o = FcrOptions.parse(options);
  return {
    name: 'fcr',
    threshold: o.threshold,
    method: 'offline',
    async score(input) {
      const a = analyze(input, o);
      return scoreResult(a.score, o.threshold, fcrReason(a));
    },
  };
}
