import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { createScorers } from '../scorers/registry.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import { scoreReply } from './score-reply.ts';
import { createScoringPool } from './scoring-pool.ts';

/** This process's threads running below the calling thread's priority (Linux: /proc/self/task/<tid>/stat, field 19). */
function backgroundThreads(): number {
  return readdirSync('/proc/self/task').filter((tid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      return false; // the thread ended meanwhile
    }
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) > getPriority();
  }).length;
}

describe('scoring pool', () => {
  const pool = createScoringPool(['fcr', 'accuracy', 'tone', 'safety']);
  afterAll(() => pool.close());

  it('gives in a worker thread exactly the scores the scorers give in process', async () => {
    const { suite } = await evalStore(12);
    const local = createScorers(['fcr', 'accuracy', 'tone', 'safety']);
    for (const c of suite.cases.slice(0, 4)) {
      const input = { case: c, reply: c.human_reply ?? '', handoff: null, latency_ms: 100, model: 'replay:human' };
      expect(await pool.score(input)).toEqual(await scoreReply(local, input));
    }
  });

  it('scores replies that arrive together (sent to the thread in one message) each with its own scores, in any order of settling', async () => {
    const { suite } = await evalStore(12);
    const local = createScorers(['fcr', 'accuracy', 'tone', 'safety']);
    const inputs = suite.cases.slice(0, 6).map((c, i) => ({ case: c, reply: i % 2 === 0 ? (c.human_reply ?? '') : 'Sorry, I cannot help with that.', handoff: null, latency_ms: 100, model: 'replay:human' }));
    // And replies of a bot that cannot act, where the logged agent did: what the case needed of them comes back with their scores.
    const acted = suite.cases.slice(0, 2).map((c) => ({ case: { ...c, reference_answer: "I've refunded the duplicate charge." }, reply: 'Sorry, I cannot help with that.', handoff: null, latency_ms: 100, model: 'local:kb', can_act: false }));
    const expected = await Promise.all([...inputs, ...acted].map((input) => scoreReply(local, input)));
    expect(expected.filter((r) => r.escalation.expected)).toHaveLength(acted.length);
    expect(await Promise.all([...inputs, ...acted].map((input) => pool.score(input)))).toEqual(expected);
  });

  it.runIf(process.platform === 'linux')('scores in a thread below the priority of the thread that calls it, which keeps its own (per-thread niceness is Linux only)', async () => {
    const { suite } = await evalStore(12);
    const input = { case: suite.cases[0]!, reply: 'ok', handoff: null, latency_ms: 1, model: 'm' };
    await pool.score(input); // the shared pool's thread has started (and settled its priority)
    const before = backgroundThreads();
    const mainPriority = getPriority();
    const second = createScoringPool(['fcr']);
    try {
      await second.score(input);
      // The worker thread, and the loader thread it starts (which inherits its priority).
      expect(backgroundThreads()).toBeGreaterThanOrEqual(before + 1);
      expect(getPriority()).toBe(mainPriority);
    } finally {
      await second.close();
    }
  });
});
