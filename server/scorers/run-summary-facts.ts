// What a run summary needs to know from the scorers: whether a case needed a hand-off (of a reply
// whose author can act or cannot), and what a judge model costs (server/metrics/run-summary.ts takes them as `facts`).
import type { RunSummaryFacts } from '../metrics/run-summary.ts';
import { escalationExpectation } from './escalation-expectation.ts';
import { lookupPrice } from './price-table.ts';

/** The facts for a run whose replies' author can act, or cannot (`canAct` false), or is not known. */
export function scorerFacts(canAct?: boolean): RunSummaryFacts {
  return {
    escalation: (c) => escalationExpectation(c, canAct),
    price: (model) => lookupPrice(model)?.price ?? null,
  };
}

export const SCORER_FACTS: RunSummaryFacts = scorerFacts();
