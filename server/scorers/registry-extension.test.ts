// Adding a scorer is its own file plus one registry line: a registry with one more entry (defined
// here, as its file would) runs through evaluate, the run summary, the report, the JUnit output,
// the thresholds, scorer trust and the gate without any other list naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Scorer } from '../domain/eval.ts';
import { parseThresholds, renderJUnit, renderText } from '../eval/report.ts';
import { evaluate } from '../services/evaluate.ts';
import type { Database } from '../storage/database.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import { createScorerRegistry, defineScorer, SCORERS } from './registry.ts';

// What the scorer's own file would hold.
const BrevityOptions = z.strictObject({ threshold: z.number().min(0).max(1).default(0.5), max_chars: z.number().int().positive().default(10) });
function createBrevityScorer(o: z.output<typeof BrevityOptions>): Scorer {
  return {
    name: 'brevity',
    threshold: o.threshold,
    method: 'offline',
    score: async ({ reply }) => {
      const score = reply.length <= o.max_chars ? 1 : 0;
      return { score, pass: score >= o.threshold, reason: `${reply.length} characters (at most ${o.max_chars})` };
    },
  };
}

// The one registry line.
const registry = createScorerRegistry([
  ...Object.values(SCORERS.entries),
  defineScorer({ name: 'brevity', description: 'the reply is short', options: BrevityOptions, create: createBrevityScorer, traits: { kind: 'rule', default: true, quality: true, composite: true, breakdown: true } }),
]);

let db: Database;
beforeAll(async () => {
  ({ db } = await evalStore(12));
});
afterAll(() => db?.close());

describe('a scorer added by one registry line', () => {
  it('is a default, quality and composite scorer everywhere the registry is passed', async () => {
    expect(registry.withTrait('default')).toContain('brevity');
    // The built-in registry does not know it: a usage error listing the known ones.
    await expect(evaluate(db, { suite: 'eval-test', candidates: ['evals/candidates/human-replay.yaml'], scorers: ['brevity'], cache: 'off' })).rejects.toThrow(/unknown scorer "brevity"; available: fcr/);

    const failUnder = parseThresholds('brevity=0.9,composite=0.1', { scorers: ['fcr', 'brevity'], registry });
    const { report, results } = await evaluate(db, { suite: 'eval-test', candidates: ['evals/candidates/human-replay.yaml'], scorers: ['fcr', 'brevity'], registry, failUnder, cache: 'off' });
    const [candidate] = report.candidates;
    const summary = candidate!.summary;
    expect(Object.keys(summary.metrics).sort()).toEqual(['brevity', 'composite', 'fcr']);
    // The logged replies are longer than 10 characters: brevity fails, and drags the composite down.
    expect(summary.metrics.brevity!.mean).toBe(0);
    expect(summary.metrics.composite!.mean).toBeCloseTo(summary.metrics.fcr!.mean / 2, 3);
    expect(report.status).toBe('gate_failed');
    expect(candidate!.gate.failures.join('; ')).toMatch(/brevity 0\.00 < 0\.90/);
    // A rule check gates without labels.
    expect(report.trust?.find((t) => t.scorer === 'brevity')).toMatchObject({ trusted: true, reason: 'brevity: a rule check of labeled facts, gated' });

    const text = renderText(report, registry);
    expect(text, text).toMatch(/by language\n *language +n +fcr +brevity +composite/);
    const junit = renderJUnit(report, results, registry);
    expect(junit).toMatch(/<failure message="[^"]*brevity 0\.00/);
  });

  it('is unknown to the built-in registry, which lists the known ones', () => {
    expect(() => parseThresholds('brevity=0.5')).toThrow(/unknown metric "brevity"; metrics: fcr, accuracy/);
    expect(() => SCORERS.create(['brevity'])).toThrow(/unknown scorer "brevity"/);
  });
});
