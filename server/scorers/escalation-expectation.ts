// Whether a case needs a hand-off, as far as anyone knows. A reviewer's label (or the log's own
// metadata) says so; so does a customer who asks for a person ("我要人工客服"). What the logged
// agent happened to do (outcome.escalated) does not: with only that, the need is unknown, and a
// hand-off is not the bot resolving the issue (DESIGN.md: FCR is resolved by the bot, not escalated).
// And a reply's author that cannot act (ScoreInput.can_act false: a model an eval gives no tools,
// local:kb) needs a person wherever the logged agent resolved the issue by acting ("已为您取消订单",
// "I've refunded the duplicate charge"): handing off is the most it can do there, whatever the label
// says a first-line agent needed.
import type { SuiteCase } from '../domain/eval.ts';
import { actionClaims } from '../text/action-claims.ts';
import { customerTexts } from './case-context.ts';
import { HUMAN_REQUEST } from '../text/lexicons.ts';
import { findPhrases } from '../text/text-match.ts';
import { memoByText } from './memo.ts';

export interface EscalationExpectation {
  /** Whether the case needs a hand-off (false when unknown). */
  expected: boolean;
  /** A label, the metadata, the customer's own request or the reference's action says so; false when nothing does. */
  known: boolean;
  /**
   * `case`: the case's label or metadata; `request`: the customer asked for a person; `action`: the
   * logged agent resolved it by acting and this reply's author cannot act; `unknown`.
   */
  source: 'case' | 'request' | 'action' | 'unknown';
  /** The customer's words asking for a person, when that decided it. */
  request: string | null;
  /** The reference's words stating the action, when that decided it. */
  action: string | null;
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

const claimsIn = memoByText((text: string) => ({ claims: actionClaims(text) }));

const actions = new WeakMap<SuiteCase, string | null>();

/**
 * The reference's words stating an action its author took ("已为您取消订单"), or null: none, or only
 * ones an earlier agent turn of the conversation already stated (the reference restating them).
 * On tau-bench's logs this finds the replies that follow a state-changing tool call with precision
 * 0.97 and recall 0.91 (escalation-expectation.test.ts); leaving out every case whose conversation
 * held any earlier action, as accuracy does for a claim (case-context.ts actedEarlier), lost a
 * quarter of them: an order cancelled after another one was returned is a new action.
 */
export function referenceAction(c: SuiteCase): string | null {
  let action = actions.get(c);
  if (action === undefined) {
    const claims = claimsIn(c.reference_answer).claims;
    if (claims.length === 0) action = null;
    else {
      const said = new Set(c.history.flatMap((t) => (t.role === 'agent' ? claimsIn(t.text).claims.map((x) => x.toLowerCase()) : [])));
      action = claims.find((x) => !said.has(x.toLowerCase())) ?? null;
    }
    actions.set(c, action);
  }
  return action;
}

/** What the case needs of a reply whose author can act (`canAct` true or not known) or cannot (false). */
export function escalationExpectation(c: SuiteCase, canAct?: boolean): EscalationExpectation {
  const needed = caseExpectation(c);
  if (needed.expected || canAct !== false) return needed;
  const action = referenceAction(c);
  return action === null ? needed : { expected: true, known: true, source: 'action', request: null, action };
}

function caseExpectation(c: SuiteCase): EscalationExpectation {
  if (c.expected_escalation_source === undefined) return { expected: c.expected_escalation, known: true, source: 'case', request: null, action: null };
  const request = humanRequest(c);
  return request !== null ? { expected: true, known: true, source: 'request', request, action: null } : { expected: false, known: false, source: 'unknown', request: null, action: null };
}
