import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.ts';
import type { Provider } from '../domain/eval.ts';
import { DEFAULT_COMPOSITE, DEFAULT_TOLERANCE, PromotionPolicy } from '../promotion/promotion-gate.ts';
import { hasJudgeRubric } from './judge.ts';
import { createScorerRegistry, createScorers, defineScorer, SCORERS } from './registry.ts';
import { EN_CALM_DELIVERY, EN_DELIVERY_REPLIES, inputFor } from '../test-support/scorer-cases.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';
import { CSAT_THRESHOLD } from './csat.ts';

const SCORER_NAMES = SCORERS.names;
const JUDGE_SCORER_NAMES = SCORERS.withTrait('judgeable');
// csat's threshold lives with its learned model (csat.ts), not in the table the judge shares.
const threshold = (name: string) => (name === 'csat' ? CSAT_THRESHOLD : DEFAULT_THRESHOLDS[name as keyof typeof DEFAULT_THRESHOLDS]);

const judge: Provider = { id: 'fake:judge', generate: async () => ({ text: '{"score": 5, "pass": true, "rationale": "fine"}', model: 'judge' }) };

describe('scorer registry', () => {
  it('has one entry per scorer name, each making the scorer of its own name, no two alike', () => {
    expect(new Set(SCORER_NAMES).size).toBe(SCORER_NAMES.length);
    expect(Object.keys(SCORERS.entries).sort()).toEqual([...SCORER_NAMES].sort());
    // An entry that builds another entry's scorer (a copied registry line) would give a name twice.
    const made = SCORER_NAMES.map((name) => SCORERS.entries[name]!.create().name);
    expect(made).toEqual([...SCORER_NAMES]);
    expect(new Set(made).size).toBe(made.length);
    const descriptions = SCORER_NAMES.map((name) => SCORERS.entries[name]!.description);
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });

  it('parses every options schema from its defaults, with the documented threshold', () => {
    for (const name of SCORER_NAMES) {
      const defaults = SCORERS.entries[name]!.options.parse({});
      expect(defaults.threshold, name).toBe(threshold(name));
      const scorer = SCORERS.entries[name]!.create();
      expect(scorer).toMatchObject({ name, threshold: threshold(name), method: name === 'csat' ? 'learned:builtin' : 'offline' });
    }
  });

  it('lists the built-in scorers in order, with the traits every other list is derived from', () => {
    expect(SCORER_NAMES).toEqual(['fcr', 'accuracy', 'tone', 'escalation', 'safety', 'latency', 'cost', 'csat']);
    expect(SCORERS.withTrait('default')).toEqual(['fcr', 'accuracy', 'tone', 'escalation', 'safety', 'latency', 'cost']);
    expect(SCORERS.withTrait('quality')).toEqual(['fcr', 'accuracy', 'tone', 'escalation', 'safety']);
    expect(SCORERS.withTrait('composite')).toEqual(['fcr', 'accuracy', 'tone']);
    expect(JUDGE_SCORER_NAMES).toEqual(['fcr', 'accuracy', 'tone', 'escalation', 'safety']);
    expect(SCORERS.ofKind('judgement')).toEqual(['fcr', 'accuracy', 'tone', 'csat']);
    expect(SCORERS.ofKind('measurement')).toEqual(['latency', 'cost']);
  });

  it('marks judgeable exactly the scorers the judge has a rubric for', () => {
    for (const name of SCORER_NAMES) expect(SCORERS.entries[name]!.traits.judgeable === true, name).toBe(hasJudgeRubric(name));
  });

  it("agrees with the promotion gate's default policy (which may not import the registry)", () => {
    expect([...DEFAULT_COMPOSITE]).toEqual(SCORERS.withTrait('composite'));
    expect(PromotionPolicy.parse({}).composite).toEqual(SCORERS.withTrait('composite'));
    expect(Object.keys(DEFAULT_TOLERANCE).sort()).toEqual(SCORERS.withTrait('quality').sort());
  });

  it('refuses a name registered twice and a name that is not a scorer name', () => {
    const latency = SCORERS.entries.latency!;
    expect(() => createScorerRegistry([latency, latency])).toThrow(/registered twice/);
    expect(() => defineScorer({ name: 'Not A Name', description: 'x', options: latency.options, create: () => latency.create(), traits: { kind: 'measurement' } })).toThrow();
  });

  it('creates scorers in the order asked, once each', () => {
    expect(createScorers(['tone', 'fcr', 'tone']).map((s) => s.name)).toEqual(['tone', 'fcr']);
  });

  it('rejects an unknown name with a usage error that lists the known ones', () => {
    let error: unknown;
    try {
      createScorers(['fcr', 'politeness']);
    } catch (e) {
      error = e;
    }
    expect(AppError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'usage' });
    expect((error as Error).message).toBe('unknown scorer "politeness"; available: fcr, accuracy, tone, escalation, safety, latency, cost, csat');
  });

  it('rejects bad options with a validation error', () => {
    expect(() => createScorers(['latency'], { config: { latency: { target_ms: 'fast' } } })).toThrow(/bad options for scorer latency: target_ms/);
    expect(() => createScorers(['tone'], { config: { tone: { treshold: 0.5 } } })).toThrow(/bad options for scorer tone/);
  });

  it('applies per-scorer options', () => {
    const [tone] = createScorers(['tone'], { config: { tone: { threshold: 0.8 } } });
    expect(tone!.threshold).toBe(0.8);
  });

  it('lets a judge replace fcr, accuracy, tone, escalation and safety only', async () => {
    const scorers = createScorers([...SCORER_NAMES], { judge, config: { fcr: { threshold: 0.9 } } });
    const methods = Object.fromEntries(scorers.map((s) => [s.name, s.method]));
    for (const name of JUDGE_SCORER_NAMES) expect(methods[name], name).toBe('fake:judge');
    expect(methods.latency).toBe('offline');
    expect(methods.cost).toBe('offline');
    expect(scorers.find((s) => s.name === 'fcr')!.threshold).toBe(0.9);
    const res = await scorers[0]!.score(inputFor(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.good));
    expect(res).toMatchObject({ score: 1, pass: true });
  });

  it('gives every offline scorer a 0–1 score and a reason', async () => {
    const input = inputFor(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.good, { model: 'openai:gpt-4o-mini', usage: { input_tokens: 1000, output_tokens: 100 } });
    for (const scorer of createScorers([...SCORER_NAMES])) {
      const res = await scorer.score(input);
      expect(res.score, scorer.name).toBeGreaterThanOrEqual(0);
      expect(res.score, scorer.name).toBeLessThanOrEqual(1);
      expect(res.pass, scorer.name).toBe(res.score >= scorer.threshold);
      expect(res.reason.length, scorer.name).toBeGreaterThan(0);
      expect(res.pass, `${scorer.name}: ${res.reason}`).toBe(true);
    }
  });
});
