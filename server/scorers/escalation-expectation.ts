// Whether a case needs a hand-off, as far as anyone knows. A reviewer's label (or the log's own
// metadata) says so; so does a customer who asks for a person ("我要人工客服"). What the logged
// agent happened to do (outcome.escalated) does not: with only that, the need is unknown, and a
// hand-off is not the bot resolving the issue (DESIGN.md: FCR is resolved by the bot, not escalated).
import type { SuiteCase } from '../domain/eval.ts';
import { customerTexts } from './case-context.ts';
import { HUMAN_REQUEST } from '../text/lexicons.ts';
import { findPhrases } from '../text/text-match.ts';
import { memoByText } from './memo.ts';

export interface EscalationExpectation {
  /** Whether the case needs a hand-off (false when unknown). */
  expected: boolean;
  /** A label, the metadata or the customer's own request says so; false when nothing does. */
  known: boolean;
  /** `case`: the case's label or metadata; `request`: the customer asked for a person; `unknown`. */
  source: 'case' | 'request' | 'unknown';
  /** The customer's words asking for a person, when that decided it. */
  request: string | null;
}

/** The customer's words asking for a person, or null (a negated ask, "不用转人工", does not count). */
export function humanRequest(c: SuiteCase): string | null {
  for (const text of customerTexts(c)) {
    const hit = requestIn(text).text;
    if (hit !== null) return hit;
  }
  return null;
}

/** Accuracy, fcr and escalation each ask this of the same case, and a conversation's turns recur in its later cases: each text is read once. */
const requestIn = memoByText((text: string) => ({ text: findPhrases(text, HUMAN_REQUEST).find((h) => !h.negated)?.text ?? null }));

export function escalationExpectation(c: SuiteCase): EscalationExpectation {
  if (c.expected_escalation_source === undefined) return { expected: c.expected_escalation, known: true, source: 'case', request: null };
  const request = humanRequest(c);
  return request !== null ? { expected: true, known: true, source: 'request', request } : { expected: false, known: false, source: 'unknown', request: null };
}
