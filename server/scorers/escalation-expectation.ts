// Whether a case needs a hand-off, as far as anyone knows. A reviewer's label (or the log's own
// metadata) says so; so does a customer who asks for a person ("我要人工客服"). What the logged
// agent happened to do (outcome.escalated) does not: with only that, the need is unknown, and a
// hand-off is not the bot resolving the issue (DESIGN.md: FCR is resolved by the bot, not escalated).
// And a reply's author that cannot act (ScoreInput.can_act false: a model an eval gives no tools,
// local:kb) needs a person wherever the logged agent resolved the issue by acting ("已为您取消订单",
// "I've refunded the duplicate charge"): handing off is the most it can do there, whatever the label
// says a first-line agent needed. So does an author that can take only some kinds of action
// (ScoreInput.acts_on: local:agent's tools cancel orders but cannot chase a courier) where the logged
// agent took another kind ("已为您催促"); an action whose words name no kind is taken as within reach.
import type { ScoreInput, SuiteCase } from '../domain/eval.ts';
import { statedActions } from '../text/action-claims.ts';
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
   * logged agent resolved it by an action this reply's author cannot take; `unknown`.
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

const statedIn = memoByText((text: string) => ({ actions: statedActions(text) }));

/** What a reply's author can do in the back office, as ScoreInput says it. */
export type AuthorAbility = Pick<ScoreInput, 'can_act' | 'acts_on'>;

type StatedAction = ReturnType<typeof statedActions>[number];
const actions = new WeakMap<SuiteCase, readonly StatedAction[]>();

/**
 * The actions the reference states its author took ("已为您取消订单"), leaving out those an earlier
 * agent turn of the conversation already stated (the reference restating them). On tau-bench's logs
 * the first of them finds the replies that follow a state-changing tool call with precision 0.97 and
 * recall 0.91 (escalation-expectation.test.ts); leaving out every case whose conversation held any
 * earlier action, as accuracy does for a claim (case-context.ts actedEarlier), lost a quarter of them:
 * an order cancelled after another one was returned is a new action.
 */
function referenceActions(c: SuiteCase): readonly StatedAction[] {
  let found = actions.get(c);
  if (found === undefined) {
    const stated = statedIn(c.reference_answer).actions;
    if (stated.length === 0) found = stated;
    else {
      // The same words, or words one of which holds the other ("已为您取消" restated as "订单已为您取消").
      const said = c.history.flatMap((t) => (t.role === 'agent' ? statedIn(t.text).actions.map((x) => x.text.toLowerCase()) : []));
      found = stated.filter((x) => {
        const words = x.text.toLowerCase();
        return !said.some((s) => s.includes(words) || words.includes(s));
      });
    }
    actions.set(c, found);
  }
  return found;
}

/** The reference's words stating the first action its author took (see referenceActions), or null. */
export function referenceAction(c: SuiteCase): string | null {
  return referenceActions(c)[0]?.text ?? null;
}

/**
 * The reference's words stating an action its author took that `author` cannot take, or null: an
 * author that cannot act, any; one that can take some kinds, the first of another known kind (a
 * hand-off is within anyone's reach).
 */
export function actionBeyond(c: SuiteCase, author: AuthorAbility = {}): string | null {
  if (author.can_act !== false && author.acts_on === undefined) return null; // it can take any
  return referenceActions(c).find((a) => beyond(a, author))?.text ?? null;
}

/** Whether `text` states an action taken that `author` cannot take (as actionBeyond judges one). */
export function statesActionBeyond(text: string, author: AuthorAbility): boolean {
  return statedIn(text).actions.some((a) => beyond(a, author));
}

function beyond(a: StatedAction, author: AuthorAbility): boolean {
  if (author.can_act === false) return true;
  return author.acts_on !== undefined && a.kind !== null && a.kind !== 'handoff' && !author.acts_on.includes(a.kind);
}

/** What the case needs of a reply whose author can do what `author` says (everything, when it says nothing). */
export function escalationExpectation(c: SuiteCase, author: AuthorAbility = {}): EscalationExpectation {
  const needed = caseExpectation(c);
  if (needed.expected) return needed;
  const action = actionBeyond(c, author);
  return action === null ? needed : { expected: true, known: true, source: 'action', request: null, action };
}

function caseExpectation(c: SuiteCase): EscalationExpectation {
  if (c.expected_escalation_source === undefined) return { expected: c.expected_escalation, known: true, source: 'case', request: null, action: null };
  const request = humanRequest(c);
  return request !== null ? { expected: true, known: true, source: 'request', request, action: null } : { expected: false, known: false, source: 'unknown', request: null, action: null };
}
