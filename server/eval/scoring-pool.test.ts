import { afterAll, describe, expect, it } from 'vitest';
import { createScorers } from '../scorers/registry.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import { createScoringPool } from './scoring-pool.ts';

describe('scoring pool', () => {
  const pool = createScoringPool(['fcr', 'accuracy', 'tone', 'safety']);
  afterAll(() => pool.close());

  it('gives in a worker thread exactly the scores the scorers give in process', async () => {
    const { suite } = await evalStore(12);
    const local = createScorers(['fcr', 'accuracy', 'tone', 'safety']);
    for (const c of suite.cases.slice(0, 4)) {
      const input = { case: c, reply: c.human_reply ?? '', handoff: null, latency_ms: 100, model: 'replay:human' };
      const expected = Object.fromEntries(await Promise.all(local.map(async (s) => [s.name, await s.score(input)] as const)));
      expect(await pool.score(input)).toEqual({ scores: expected, failures: [] });
    }
  });
});
