// What a run summary needs to know from the scorers: whether a case needed a hand-off (of a reply
// whose author can act, cannot, or can take only some kinds of action), and what a judge model costs (server/metrics/run-summary.ts takes them as `facts`).
import type { RunSummaryFacts } from '../metrics/run-summary.ts';
import { escalationExpectation, type AuthorAbility } from './escalation-expectation.ts';
import { lookupPrice } from './price-table.ts';

/** The facts for a run whose replies' author can do what `author` says (everything, when it says nothing). */
export function scorerFacts(author: AuthorAbility = {}): RunSummaryFacts {
  return {
    escalation: (c) => escalationExpectation(c, author),
    price: (model) => lookupPrice(model)?.price ?? null,
  };
}

export const SCORER_FACTS: RunSummaryFacts = scorerFacts();
