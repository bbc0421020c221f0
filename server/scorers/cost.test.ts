import { describe, expect, it } from 'vitest';
import { createCostScorer, replyCostUsd } from './cost.ts';
import { lookupPrice, PRICE_TABLE } from './price-table.ts';
import { EN_CALM_DELIVERY, inputFor } from '../test-support/scorer-cases.ts';

const usage = { input_tokens: 2_000, output_tokens: 300 };

describe('price table', () => {
  it('finds models by id, by name and by dated name; local and replay are free', () => {
    expect(lookupPrice('openai:gpt-4o-mini')?.price).toEqual({ input: 0.15, output: 0.6 });
    expect(lookupPrice('openai:gpt-4o-mini-2024-07-18')?.matched).toBe('gpt-4o-mini');
    expect(lookupPrice('openai:gpt-4o-2024-08-06')?.matched).toBe('gpt-4o');
    expect(lookupPrice('openai:gpt-4.1-mini')?.matched).toBe('gpt-4.1-mini');
    expect(lookupPrice('openai:deepseek-chat')?.matched).toBe('deepseek-chat');
    expect(lookupPrice('hf:Qwen/qwen-plus')?.matched).toBe('qwen-plus');
    expect(lookupPrice('local:kb')?.price).toEqual({ input: 0, output: 0 });
    expect(lookupPrice('replay:human')?.price).toEqual({ input: 0, output: 0 });
    expect(lookupPrice('hf:meta-llama/Llama-3.1-8B-Instruct')).toBeNull();
  });

  it('holds positive prices with output dearer than input', () => {
    for (const [model, p] of Object.entries(PRICE_TABLE)) {
      expect(p.input, model).toBeGreaterThan(0);
      expect(p.output, model).toBeGreaterThanOrEqual(p.input);
    }
  });
});

describe('cost scorer', () => {
  it('multiplies usage by the price: 2000 in + 300 out on gpt-4o-mini is $0.00048', () => {
    expect(replyCostUsd(usage, { input: 0.15, output: 0.6 })).toBeCloseTo(0.00048, 12);
  });

  it('scores 1 under budget and budget/cost above it, showing the cost', async () => {
    const scorer = createCostScorer();
    const cheap = await scorer.score(inputFor(EN_CALM_DELIVERY, 'x', { model: 'openai:gpt-4o-mini', usage }));
    expect(cheap).toMatchObject({ score: 1, pass: true });
    expect(cheap.reason).toMatch(/^\$0\.000480 \(2000 in \+ 300 out tokens at gpt-4o-mini/);
    // gpt-4o: 2000 × 2.5 + 300 × 10 = 8000 per 1M -> $0.008, budget $0.002 -> 0.25.
    const dear = await scorer.score(inputFor(EN_CALM_DELIVERY, 'x', { model: 'openai:gpt-4o', usage }));
    expect(dear).toMatchObject({ score: 0.25, pass: false });
  });

  it('costs nothing for local and replay providers, even without usage', async () => {
    const res = await createCostScorer().score(inputFor(EN_CALM_DELIVERY, 'x', { model: 'replay:human' }));
    expect(res).toMatchObject({ score: 1, pass: true });
  });

  it('fails an unknown price or missing usage by default, with a reason; passes it when told to', async () => {
    const unknown = inputFor(EN_CALM_DELIVERY, 'x', { model: 'hf:meta-llama/Llama-3.1-8B-Instruct', usage });
    const res = await createCostScorer().score(unknown);
    expect(res).toMatchObject({ score: 0, pass: false });
    expect(res.reason).toMatch(/no price for hf:meta-llama/);
    expect((await createCostScorer({ unknown: 'pass' }).score(unknown)).pass).toBe(true);
    expect((await createCostScorer().score(inputFor(EN_CALM_DELIVERY, 'x', { model: 'openai:gpt-4o' }))).reason).toMatch(/reported no token usage/);
  });

  it('takes extra prices and a budget', async () => {
    const scorer = createCostScorer({ budget_usd: 0.0001, prices: { 'Llama-3.1-8B-Instruct': { input: 0.05, output: 0.1 } } });
    const res = await scorer.score(inputFor(EN_CALM_DELIVERY, 'x', { model: 'hf:meta-llama/Llama-3.1-8B-Instruct', usage }));
    // 2000 × 0.05 + 300 × 0.1 = 130 per 1M -> $0.00013 against $0.0001.
    expect(res.score).toBeCloseTo(0.0001 / 0.00013, 3);
  });
});
