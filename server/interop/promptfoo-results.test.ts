// promptfoo result rows as firstcall results: metric names, failed assertions versus errors, n/a, trials.
import { describe, expect, it } from 'vitest';
import { PromptfooResultRow, resultsOf } from './promptfoo-results.ts';

const known = new Set(['fcr', 'tone']);

function row(overrides: Record<string, unknown>) {
  return PromptfooResultRow.parse({ provider: { id: 'file://provider.mjs', label: 'kb' }, testIdx: 0, vars: { case_id: 'c1' }, success: true, score: 1, response: { output: 'Hello' }, ...overrides });
}

describe('promptfoo results as firstcall results', () => {
  it('names metrics like a known scorer by the scorer, keeps other metrics by their own name, and keeps each assertion’s verdict, reason and n/a', () => {
    const { results, scorers } = resultsOf(
      [
        row({
          success: false,
          failureReason: 1,
          error: 'tone too low',
          namedScores: { FCR: 0.5, tone: 0.25, 'Brand voice': 1 },
          gradingResult: {
            pass: false,
            componentResults: [
              { pass: true, score: 0.5, reason: 'facts 1/2', assertion: { type: 'javascript', metric: 'FCR', threshold: 0.4 } },
              { pass: false, score: 0.25, reason: 'curt', assertion: { type: 'javascript', metric: 'tone', threshold: 0.6 }, metadata: { na: true } },
            ],
          },
        }),
      ],
      known,
    );
    expect(results).toHaveLength(1);
    // A failed assertion is a verdict, not a failed case.
    expect(results[0]!.error).toBeNull();
    expect(results[0]!.output).toBe('Hello');
    expect(results[0]!.scores).toEqual({
      fcr: { score: 0.5, pass: true, reason: 'facts 1/2' },
      tone: { score: 0.25, pass: false, reason: 'curt', na: true },
      'Brand voice': { score: 1, pass: false, reason: 'promptfoo named score' },
    });
    expect(scorers).toEqual([
      { name: 'fcr', threshold: 0.4 },
      { name: 'tone', threshold: 0.6 },
      { name: 'Brand voice', threshold: 0 },
    ]);
  });

  it('records an error as a failed case with no output, reads hand-offs from the reply, counts repeats as trials and skips rows without a case', () => {
    const { results, skipped } = resultsOf(
      [
        row({ success: false, failureReason: 2, error: 'connect ECONNREFUSED', response: { error: 'connect ECONNREFUSED' } }),
        row({ response: { output: '正在为您转接人工客服。[[handoff:vip]]', metadata: { firstcall: { case_id: 'c1', model: 'local:kb', candidate_hash: 'h', latency_ms: 12, attempts: 2, usage: { input_tokens: 3, output_tokens: 4 } } } } }),
        row({ vars: { question: 'added by hand' } }),
      ],
      known,
    );
    expect(skipped).toBe(1);
    expect(results.map((r) => [r.trial, r.error, r.output])).toEqual([
      [1, 'connect ECONNREFUSED', null],
      [2, null, '正在为您转接人工客服。[[handoff:vip]]'],
    ]);
    expect(results[1]).toMatchObject({ handoff_queue: 'vip', latency_ms: 12, attempts: 2, input_tokens: 3, output_tokens: 4 });
  });
});
