// A run's summary is built as its results come, in whatever order the calls finish: it must be the
// summary of the same results listed in the store's order.
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../domain/code-point-order.ts';
import type { SuiteCase } from '../domain/eval.ts';
import type { CaseResult } from '../domain/runs-api.ts';
import { RunSummaryBuilder, summarizeRun, type RunSummaryFacts } from './run-summary.ts';
import { createSeededRandom } from './seeded-random.ts';

const facts: RunSummaryFacts = {
  escalation: (c) => ({ expected: c.expected_escalation, known: !c.case_id.endsWith('7') }),
  price: (model) => (model === 'judge-a' ? { input: 0.15, output: 0.6 } : null),
};
const options = { composite: ['fcr', 'accuracy', 'tone'], passScorers: ['fcr', 'accuracy'] };

function suiteCase(id: string, language: 'en' | 'zh', intent: string | undefined, channel: string, expected: boolean): SuiteCase {
  return { case_id: id, language, intent, channel, expected_escalation: expected } as unknown as SuiteCase;
}

function result(case_id: string, trial: number, scores: CaseResult['scores'], extra: Partial<CaseResult> = {}): CaseResult {
  return { case_id, trial, output: 'reply', handoff_queue: null, error: null, latency_ms: 100, input_tokens: 10, output_tokens: 5, cached: false, attempts: 1, scores, ...extra } as CaseResult;
}

describe('a run summary built as results come', () => {
  it('is the same whatever order the results are added in (random runs: trials, failures, n/a scores, judge usage, a result for no known case)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rng = createSeededRandom(seed);
      const random = () => rng.next();
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
      const names = ['fcr', 'accuracy', 'tone', 'escalation', 'judge_tone'];
      const repeat = 1 + Math.floor(random() * 3);
      const cases = Array.from({ length: 5 + Math.floor(random() * 30) }, (_, i) =>
        suiteCase(`c-${Math.floor(random() * 100)}-${i}`, pick(['en', 'zh'] as const), pick([undefined, 'refund', 'warranty', 'Ärger']), pick(['app', 'web']), random() < 0.4),
      );
      const results: CaseResult[] = [];
      for (const id of [...cases.map((c) => c.case_id), 'unknown-case']) {
        for (let trial = 1; trial <= repeat; trial++) {
          if (random() < 0.1) continue;
          const scores = Object.fromEntries(
            names
              .filter(() => random() < 0.9)
              .map((name) => [
                name,
                {
                  score: Math.floor(random() * 7) / 6,
                  pass: random() < 0.6,
                  reason: '',
                  ...(random() < 0.15 ? { na: true } : {}),
                  ...(name === 'judge_tone' ? { judge_usage: { model: pick(['judge-a', 'judge-b']), input_tokens: 40, output_tokens: 9 } } : {}),
                },
              ]),
          );
          results.push(result(id, trial, scores, { error: random() < 0.1 ? `failed ${id}/${trial}` : null, handoff_queue: random() < 0.3 ? 'human' : null, latency_ms: random() < 0.1 ? null : Math.floor(random() * 900) }));
        }
      }
      const stored = [...results].sort((a, b) => compareCodePoints(a.case_id, b.case_id) || a.trial - b.trial);
      const expected = summarizeRun(cases, stored, names, repeat, facts, options);
      const builder = new RunSummaryBuilder(cases, names, repeat, facts, options);
      for (const r of [...results].sort(() => random() - 0.5)) builder.add(r);
      expect(builder.summary()).toEqual(expected);
    }
  });

  it('counts what a report shows: means over trials, the composite per case, the first error and judge model by case id, pass^k', () => {
    const cases = [suiteCase('a', 'en', 'refund', 'app', false), suiteCase('b', 'zh', undefined, 'web', true)];
    const builder = new RunSummaryBuilder(cases, ['fcr', 'accuracy', 'judge_tone'], 2, facts, options);
    const judged = (model: string) => ({ score: 1, pass: true, reason: '', judge_usage: { model, input_tokens: 1_000_000, output_tokens: 0 } });
    builder.add(result('b', 2, {}, { error: 'timed out (after 5 attempts)' }));
    builder.add(result('b', 1, { fcr: { score: 1, pass: true, reason: '' }, accuracy: { score: 0.5, pass: false, reason: '', na: true }, judge_tone: judged('judge-b') }, { handoff_queue: 'human', latency_ms: 300 }));
    builder.add(result('a', 2, { fcr: { score: 0.5, pass: false, reason: '' }, accuracy: { score: 1, pass: true, reason: '' } }));
    builder.add(result('a', 1, { fcr: { score: 1, pass: true, reason: '' }, accuracy: { score: 1, pass: true, reason: '' }, judge_tone: judged('judge-a') }, { error: 'bad reply' }));
    const summary = builder.summary();
    expect(summary).toMatchObject({ cases: 2, trials: 4, errors: 2, first_error: 'bad reply', pass_hat_k: { k: 2, value: 0 } });
    // fcr: errors score 0 -> (0 + 0.5 + 1 + 0) / 4; accuracy's n/a is left out: (0 + 1 + 0) / 3.
    expect(summary.metrics.fcr).toMatchObject({ mean: 0.375, n: 4, pass_rate: 0.25 });
    expect(summary.metrics.accuracy).toMatchObject({ mean: 0.3333, n: 3, na: 1 });
    // Per case, trials averaged: a = (0 + 0.75) / 2, b = (1 + 0) / 2.
    expect(summary.metrics.composite).toMatchObject({ mean: 0.4375, n: 2 });
    expect(Object.keys(summary.by_intent)).toEqual(['(none)', 'refund']);
    expect(summary.escalation).toMatchObject({ tp: 1, fp: 0, fn: 1, tn: 2 });
    expect(summary.latency_ms).toEqual({ p50: 300, p95: 300 });
    // The judge model is the first result's by case id (a/1), though b/1's came first; both verdicts are counted.
    expect(summary.judge).toEqual({ model: 'judge-a', calls: 2, input_tokens: 2_000_000, output_tokens: 0, cost_usd: 0.3 });
  });
});
