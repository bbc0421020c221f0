import { describe, expect, it } from 'vitest';
import { createLatencyScorer, latencyScore, LatencyOptions } from './latency.ts';
import { EN_CALM_DELIVERY, inputFor } from '../test-support/scorer-cases.ts';

describe('latency scorer', () => {
  it('is 1 up to the target and falls linearly to 0 at the limit', () => {
    expect(latencyScore(800, 2_000, 10_000)).toBe(1);
    expect(latencyScore(2_000, 2_000, 10_000)).toBe(1);
    expect(latencyScore(6_000, 2_000, 10_000)).toBe(0.5);
    expect(latencyScore(12_000, 2_000, 10_000)).toBe(0);
    expect(latencyScore(Number.NaN, 2_000, 10_000)).toBe(0);
  });

  it('passes at 6 s with the defaults and reports the time', async () => {
    const scorer = createLatencyScorer();
    const ok = await scorer.score(inputFor(EN_CALM_DELIVERY, 'x', { latency_ms: 6_000 }));
    expect(ok).toMatchObject({ score: 0.5, pass: true });
    expect(ok.reason).toMatch(/^6000 ms/);
    expect((await scorer.score(inputFor(EN_CALM_DELIVERY, 'x', { latency_ms: 8_000 }))).pass).toBe(false);
  });

  it('is configurable and rejects a limit below the target', async () => {
    const strict = createLatencyScorer({ target_ms: 500, max_ms: 1_500, threshold: 0.9 });
    expect((await strict.score(inputFor(EN_CALM_DELIVERY, 'x', { latency_ms: 1_000 }))).score).toBe(0.5);
    expect(LatencyOptions.safeParse({ target_ms: 5_000, max_ms: 1_000 }).success).toBe(false);
  });
});
