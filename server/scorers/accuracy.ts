// Accuracy, offline: agreement with the reference answer and the required facts, with any
// contradiction of policy or of the customer's record (warranty status, refund eligibility, return
// windows, and actions the reply says were taken when its author took none) capping the score below
// the threshold, and conflicting amounts or dates lowering it.
// With nothing to check the reply against (no reference, no facts, no claim the record or policy can
// confirm) there is no score: the result is n/a, not a free 1.0. A correct hand-off on a case that
// needs one is accurate as far as it goes: the answer is the colleague's to give.
import { z } from 'zod';
import type { ScoreInput, Scorer } from '../domain/eval.ts';
import { actedEarlier, caseWarranty, conversation, type CaseWarranty } from './case-context.ts';
import { datesIn, isoToMonthDay, moneyAmounts, refundStance, statedWindows, warrantyClaims } from './claims.ts';
import { actionBeyond, escalationExpectation, statesActionBeyond } from './escalation-expectation.ts';
import { detectHandoff, factsBeyondHandoff } from './handoff.ts';
import { deepFreeze } from '../domain/freeze.ts';
import { fmt, notApplicable, scoreResult } from './scorer-result.ts';
import { actionClaims } from '../text/action-claims.ts';
import { NO_AGENT } from '../text/lexicons.ts';
import { distinct, factScore, findPhrases, matchFacts, quoteList, referenceRecall, type FactMatch } from '../text/text-match.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';

export const AccuracyOptions = z.strictObject({
  threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.accuracy),
  /** Policy: days for a return without a reason (7天无理由退货). */
  no_reason_return_days: z.number().int().min(0).default(7),
  /** Policy: days for a return of a defective product. */
  defect_return_days: z.number().int().min(0).default(30),
  /** Share of the reference's terms that counts as full agreement (references say more than a reply needs). */
  full_reference_recall: z.number().gt(0).max(1).default(0.5),
  /** Weight of the required facts against the reference overlap when a case has both. */
  facts_weight: z.number().min(0).max(1).default(0.7),
  /** The most a reply that contradicts policy or the record can score. */
  contradiction_cap: z.number().min(0).max(1).default(0.3),
  /** Factor per conflicting amount or date (at most two apply). */
  conflict_factor: z.number().min(0).max(1).default(0.75),
});
export type AccuracyOptions = z.input<typeof AccuracyOptions>;
type Options = z.output<typeof AccuracyOptions>;

export interface AccuracyAnalysis {
  facts: FactMatch[];
  /** Mean fact credit, or null when the case lists no facts. */
  factScore: number | null;
  /** Recall of the reference's terms, or null without a reference. */
  referenceRecall: number | null;
  /** 0–1 before contradictions. */
  agreement: number | null;
  /** The case needs a person and the reply hands off. */
  correctHandoff: boolean;
  /** …and the reference resolved it by acting, which the reply's author cannot: what was done is the person's to do. */
  forAction: boolean;
  /** Claims checked against the record or policy (a stated warranty status, a stated return window). */
  checked: string[];
  /** Nothing to compare with and nothing checked: no score. */
  noEvidence: boolean;
  /** Hard contradictions (each caps the score). */
  contradictions: string[];
  /** Soft conflicts (each lowers the score). */
  conflicts: string[];
  /** Both "in" and "out of warranty" claims. */
  mixedWarranty: boolean;
  score: number;
}

export function analyzeAccuracy(input: ScoreInput, options: AccuracyOptions = {}): Readonly<AccuracyAnalysis> {
  return analyzeOnce(input, Object.keys(options).length === 0 ? DEFAULTS : withDefaults(AccuracyOptions.parse(options)));
}

const DEFAULTS: Options = AccuracyOptions.parse({});
const DEFAULTS_JSON = JSON.stringify(DEFAULTS);

/** The shared defaults object when the options are the defaults (so the analysis below is shared too). */
function withDefaults(o: Options): Options {
  return JSON.stringify(o) === DEFAULTS_JSON ? DEFAULTS : o;
}

/**
 * fcr caps a reply that contradicts policy or the record, as accuracy finds it: the accuracy scorer
 * and fcr scoring the same input analyse it once (the input's case, reply and hand-off checked, so
 * an input object changed in between is analysed again).
 */
const analyses = new WeakMap<
  ScoreInput,
  { case: ScoreInput['case']; reply: string; handoff: ScoreInput['handoff']; actions: ScoreInput['actions']; can_act: ScoreInput['can_act']; acts_on: ScoreInput['acts_on']; options: Options; analysis: Readonly<AccuracyAnalysis> }
>();

function analyzeOnce(input: ScoreInput, o: Options): Readonly<AccuracyAnalysis> {
  const hit = analyses.get(input);
  if (hit !== undefined && hit.options === o && hit.case === input.case && hit.reply === input.reply && hit.handoff === input.handoff && hit.actions === input.actions && hit.can_act === input.can_act && hit.acts_on === input.acts_on) return hit.analysis;
  const analysis = deepFreeze(analyze(input, o));
  analyses.set(input, { case: input.case, reply: input.reply, handoff: input.handoff, actions: input.actions, can_act: input.can_act, acts_on: input.acts_on, options: o, analysis });
  return analysis;
}

function analyze(input: ScoreInput, o: Options): AccuracyAnalysis {
  const c = input.case;
  const expectation = escalationExpectation(c, input);
  // A hand-off the case needs is right in itself: the reference's hand-off need not be echoed word
  // for word, but what else the reference says still has to agree.
  const correctHandoff = expectation.expected && detectHandoff(input).handedOff;
  // Whatever made the hand-off right, an author that cannot take an action the reference took leaves
  // what the reference did to the person.
  const forAction = correctHandoff && actionBeyond(c, input) !== null;
  const target = correctHandoff ? factsBeyondHandoff(c.required_facts, c.reference_answer, input.reply, forAction ? (text) => statesActionBeyond(text, input) : undefined) : { facts: matchFacts(c.required_facts, input.reply), reference: c.reference_answer };
  const facts = target.facts;
  const fs = factScore(facts);
  const recall = target.reference.trim() === '' ? null : referenceRecall(target.reference, input.reply);
  const similarity = recall === null ? null : Math.min(1, recall / o.full_reference_recall);
  const blended = fs !== null && similarity !== null ? o.facts_weight * fs + (1 - o.facts_weight) * similarity : (fs ?? similarity);
  // Only the hand-off to compare (the whole reference was the hand-off): it is right.
  const agreement = blended === null && correctHandoff && c.reference_answer.trim() !== '' ? 1 : blended;

  const contradictions: string[] = [];
  const conflicts: string[] = [];
  const checked: string[] = [];
  const mixedWarranty = checkWarranty(input, contradictions, checked);
  checkRefund(input, o, contradictions, checked);
  checkNoAgent(input, expectation.expected, contradictions);
  checkActionsTaken(input, contradictions);
  checkAmountsAndDates(input, conflicts);
  const noEvidence = agreement === null && contradictions.length === 0 && conflicts.length === 0 && !mixedWarranty && checked.length === 0;

  let score = agreement ?? 1;
  if (mixedWarranty) score *= 0.85;
  score *= o.conflict_factor ** Math.min(2, conflicts.length);
  if (contradictions.length > 0) score = Math.min(score, o.contradiction_cap);
  return { facts, factScore: fs, referenceRecall: recall, agreement, correctHandoff, forAction, checked, noEvidence, contradictions, conflicts, mixedWarranty, score };
}

/** Pushes a contradiction when the reply's warranty claim disagrees with the record; returns true for mixed claims. */
function checkWarranty(input: ScoreInput, out: string[], checked: string[]): boolean {
  const claims = warrantyClaims(input.reply);
  if (claims.inWarranty.length === 0 && claims.outOfWarranty.length === 0) return false;
  const truth = caseWarranty(input.case) ?? fromReference(input.case.reference_answer);
  if (truth === null) return false;
  checked.push(`warranty status (${describeWarranty(truth, input.case.contact_date)})`);
  const wrong = truth.status === 'expired' ? claims.inWarranty : claims.outOfWarranty;
  const right = truth.status === 'expired' ? claims.outOfWarranty : claims.inWarranty;
  if (wrong.length === 0) return false;
  if (right.length > 0) return true;
  out.push(`says ${quoteList(wrong.slice(0, 2))} but ${describeWarranty(truth, input.case.contact_date)}`);
  return false;
}

function fromReference(reference: string): CaseWarranty | null {
  const claims = warrantyClaims(reference);
  if (claims.inWarranty.length > 0 && claims.outOfWarranty.length === 0) return { status: 'in_warranty', purchase: null, expires_on: null, source: 'reference' };
  if (claims.outOfWarranty.length > 0 && claims.inWarranty.length === 0) return { status: 'expired', purchase: null, expires_on: null, source: 'reference' };
  return null;
}

export function describeWarranty(w: CaseWarranty, contactDate: string): string {
  if (w.purchase === null) return `the reference says it is ${w.status === 'expired' ? 'out of warranty' : 'in warranty'}`;
  const p = w.purchase;
  const bought = `${p.product} bought ${p.purchased_at} with ${p.warranty_months} months' warranty`;
  return w.status === 'expired'
    ? `the ${bought} expired on ${w.expires_on} (contact ${contactDate})`
    : `the ${bought} is covered until ${w.expires_on} (contact ${contactDate})`;
}

function checkRefund(input: ScoreInput, o: Options, out: string[], checked: string[]): void {
  const reply = refundStance(input.reply);
  const reference = refundStance(input.case.reference_answer);
  if (reference.stance === 'no' && reply.stance === 'yes') out.push(`offers a refund (${quoteList(reply.yes.slice(0, 2))}) the reference refuses`);
  if (reference.stance === 'yes' && reply.stance === 'no') out.push(`refuses a refund (${quoteList(reply.no.slice(0, 2))}) the reference grants`);
  const windows = statedWindows(input.reply);
  if (windows.noReason.length + windows.defect.length > 0) checked.push('return window against policy');
  for (const d of windows.noReason) if (d !== o.no_reason_return_days) out.push(`states a ${d}-day no-reason return; policy is ${o.no_reason_return_days} days`);
  for (const d of windows.defect) if (d !== o.defect_return_days) out.push(`states a ${d}-day defect return; policy is ${o.defect_return_days} days`);
}

/** "No human agent is available" where the case needs a hand-off contradicts the policy of handing off. */
function checkNoAgent(input: ScoreInput, expected: boolean, out: string[]): void {
  if (!expected) return;
  const hits = distinct(findPhrases(input.reply, NO_AGENT).filter((h) => !h.negated));
  if (hits.length > 0) out.push(`says ${quoteList(hits)} where the case needs a hand-off to a human`);
}

/**
 * A reply that says an action was taken ("I've refunded the duplicate $25", "已为您取消订单") when its
 * author took none: no tool call changed anything and it did not hand off. The customer is told of a
 * refund or cancellation that never happened. Only for candidates whose actions are known
 * (ScoreInput.actions), and not when the conversation already shows an action that may be restated.
 */
function checkActionsTaken(input: ScoreInput, out: string[]): void {
  if (input.actions === undefined || input.actions.length > 0) return;
  const claims = actionClaims(input.reply);
  if (claims.length === 0) return;
  if (!actedEarlier(input.case)) out.push(`says ${quoteList([...new Set(claims)].slice(0, 2))} but took no action (no tool call changed anything)`);
}

/** Amounts and dates the reply names that neither the reference, the conversation nor the record has. */
function checkAmountsAndDates(input: ScoreInput, out: string[]): void {
  const c = input.case;
  const context = conversation(c).map((t) => t.text).join('\n');
  const purchases = c.customer?.purchases ?? [];

  const refAmounts = moneyAmounts(c.reference_answer);
  if (refAmounts.length > 0) {
    const known = new Set([...refAmounts, ...moneyAmounts(context), ...purchases.flatMap((p) => (p.price === undefined ? [] : [String(p.price)]))]);
    const extra = moneyAmounts(input.reply).filter((a) => !known.has(a));
    if (extra.length > 0) out.push(`amount ${extra.slice(0, 2).join(', ')} is not in the reference (${refAmounts.join(', ')})`);
  }
  const refDates = datesIn(c.reference_answer);
  if (refDates.length > 0) {
    const known = new Set([
      ...refDates,
      ...datesIn(context),
      isoToMonthDay(c.contact_date),
      ...purchases.flatMap((p) => [isoToMonthDay(p.purchased_at), isoToMonthDay(p.warranty.expires_on)]),
    ]);
    const extra = datesIn(input.reply).filter((d) => !known.has(d));
    if (extra.length > 0) out.push(`date ${extra.slice(0, 2).join(', ')} (month-day) is not in the reference or the record`);
  }
}

export function accuracyReason(a: Readonly<AccuracyAnalysis>): string {
  const parts: string[] = [];
  if (a.facts.length > 0) {
    const found = a.facts.filter((f) => f.credit === 1).length;
    const missing = a.facts.filter((f) => f.credit === 0).map((f) => f.fact);
    const partly = a.facts.filter((f) => f.credit === 0.5).map((f) => f.fact);
    let s = `facts ${found}/${a.facts.length}`;
    if (missing.length > 0) s += `, missing ${quoteList(missing)}`;
    if (partly.length > 0) s += `, partly ${quoteList(partly)}`;
    parts.push(s);
  }
  if (a.forAction) parts.push('hands off as the case needs (what the reference says was done is left to the person it hands to)');
  else if (a.correctHandoff) parts.push('hands off as the case needs (the reference\'s hand-off counts as matched)');
  if (a.referenceRecall !== null) parts.push(`reference overlap ${fmt(a.referenceRecall)}`);
  if (a.agreement === null) parts.push('nothing to compare (no reference answer or required facts)');
  if (a.checked.length > 0) parts.push(`checked ${a.checked.join(', ')}`);
  for (const x of a.contradictions) parts.push(`CONTRADICTION: ${x}`);
  if (a.mixedWarranty) parts.push('says both in and out of warranty');
  for (const x of a.conflicts) parts.push(`conflict: ${x}`);
  return `${parts.join('; ')} -> ${fmt(a.score)}`;
}

export function createAccuracyScorer(options: AccuracyOptions = {}): Scorer {
  const o = withDefaults(AccuracyOptions.parse(options));
  return {
    name: 'accuracy',
    threshold: o.threshold,
    method: 'offline',
    async score(input) {
      const a = analyzeOnce(input, o);
      if (a.noEvidence) return notApplicable('no reference answer, required facts or claim the record or policy can check');
      return scoreResult(a.score, o.threshold, accuracyReason(a));
    },
  };
}
