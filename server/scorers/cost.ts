// Cost: token usage × the price table. 1 at or under the per-reply budget, then budget / cost, so a
// reply at twice the budget scores 0.5. A model with no price, or a reply without usage, fails by
// default (`unknown: 'fail'`) so that a gap in the table is seen rather than scored as free.
import { z } from 'zod';
import type { Scorer } from '../domain/eval.ts';
import { lookupPrice, PRICE_TABLE, PRICES_AS_OF } from './price-table.ts';
import { fmt, scoreResult } from './scorer-result.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';

const Price = z.strictObject({ input: z.number().min(0), output: z.number().min(0) });

export const CostOptions = z.strictObject({
  threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.cost),
  /** USD per reply at or under which the score is 1. */
  budget_usd: z.number().positive().default(0.002),
  /** Prices added to (or overriding) the built-in table, USD per 1M tokens. */
  prices: z.record(z.string(), Price).default({}),
  /** What a reply whose cost cannot be computed scores: fail (0) or pass (1). */
  unknown: z.enum(['fail', 'pass']).default('fail'),
});
export type CostOptions = z.input<typeof CostOptions>;

export function replyCostUsd(usage: { input_tokens: number; output_tokens: number }, price: { input: number; output: number }): number {
  return (usage.input_tokens * price.input + usage.output_tokens * price.output) / 1_000_000;
}

/** "$0.000345". */
export function usd(x: number): string {
  return x === 0 ? '$0' : x >= 0.01 ? `$${x.toFixed(4)}` : `$${x.toPrecision(3)}`;
}

export function createCostScorer(options: CostOptions = {}): Scorer {
  const o = CostOptions.parse(options);
  // Frozen, so lookupPrice indexes it once rather than per reply.
  const table = Object.freeze({ ...PRICE_TABLE, ...o.prices });
  const unknownScore = o.unknown === 'pass' ? 1 : 0;
  return {
    name: 'cost',
    threshold: o.threshold,
    method: 'offline',
    async score(input) {
      const found = lookupPrice(input.model, table);
      if (found === null) {
        return scoreResult(unknownScore, o.threshold, `cost unknown: no price for ${input.model} (add it to price-table.ts or the cost scorer's prices)`);
      }
      if (found.price.input === 0 && found.price.output === 0) return scoreResult(1, o.threshold, `${usd(0)}: ${found.matched} is free`);
      if (input.usage === undefined) return scoreResult(unknownScore, o.threshold, `cost unknown: ${input.model} reported no token usage`);
      const cost = replyCostUsd(input.usage, found.price);
      const s = cost <= o.budget_usd ? 1 : o.budget_usd / cost;
      const detail = `${input.usage.input_tokens} in + ${input.usage.output_tokens} out tokens at ${found.matched} $${found.price.input}/$${found.price.output} per 1M (prices as of ${PRICES_AS_OF})`;
      return scoreResult(s, o.threshold, `${usd(cost)} (${detail}), budget ${usd(o.budget_usd)} per reply -> ${fmt(s)}`);
    },
  };
}
