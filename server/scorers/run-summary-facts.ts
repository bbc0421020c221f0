// What a run summary needs to know from the scorers: whether a case needed a hand-off, and what a
// judge model costs (server/metrics/run-summary.ts takes them as `facts`).
import type { RunSummaryFacts } from '../metrics/run-summary.ts';
import { escalationExpectation } from './escalation-expectation.ts';
import { lookupPrice } from './price-table.ts';

export const SCORER_FACTS: RunSummaryFacts = {
  escalation: escalationExpectation,
  price: (model) => lookupPrice(model)?.price ?? null,
};
