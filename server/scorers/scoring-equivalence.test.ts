// The offline scorers' results pinned on a seeded corpus: every score, pass, n/a and reason of the
// default scorers on 1,200 replies (the logged reply, the reference answer and an echo of the
// customer, as bench:eval's mock model gives) must stay byte-for-byte what they were. Speed-ups
// (memos, prefilters, shortcuts around Intl.Segmenter) must not change a result: if one drops a
// phrase, a rule or a term, the digest changes. A deliberate change of a scorer updates the digest.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ScoreInput, ScoreResult } from '../domain/eval.ts';
import { syntheticCases } from '../test-support/scorer-cases.ts';
import { SCORERS } from './registry.ts';

/** sha256 of the results below, as the scorers gave them before their speed-ups (2026-12). */
const PINNED_DIGEST = '41c938607a7e09fdfcd416abfb01301baabdbc03f988707c0af5ea1af91c3f0a';

const MODELS = ['openai:gpt-4o-mini', 'mock-model', 'replay:human', 'openai:gpt-4.1-2025-04-14'];

function inputs(n: number): ScoreInput[] {
  const out: ScoreInput[] = [];
  let i = 0;
  for (const { case: c, meta, reply: logged } of syntheticCases({ n, seed: 20_261_206, humanReply: true })) {
    const customerMessage = c.customer_message;
    const replies = [logged, meta.reference_answer, `mock reply: ${customerMessage.slice(0, 80)}`];
    for (const reply of replies) {
      i++;
      out.push({
        case: c,
        reply,
        handoff: i % 7 === 0 ? { queue: 'human' } : null,
        latency_ms: (i * 137) % 12_000,
        usage: i % 5 === 0 ? undefined : { input_tokens: 100 + ((i * 31) % 4000), output_tokens: 20 + ((i * 17) % 900) },
        model: MODELS[i % MODELS.length]!,
      });
    }
  }
  return out;
}

async function scoreAll(list: readonly ScoreInput[]): Promise<Record<string, ScoreResult>[]> {
  const scorers = SCORERS.create(SCORERS.withTrait('default'));
  const results: Record<string, ScoreResult>[] = [];
  for (const input of list) {
    const scores: Record<string, ScoreResult> = {};
    for (const scorer of scorers) scores[scorer.name] = await scorer.score(input);
    results.push(scores);
  }
  return results;
}

const digest = (results: unknown) => createHash('sha256').update(JSON.stringify(results)).digest('hex');

describe('default offline scorers on a seeded corpus', () => {
  const list = inputs(400);

  it('give every score, pass and reason they gave before their speed-ups', async () => {
    expect(list.length).toBe(1200);
    expect(digest(await scoreAll(list))).toBe(PINNED_DIGEST);
  });

  it('give the same results in any order, with their memos cold or warm', async () => {
    const forward = await scoreAll(list);
    const backward = (await scoreAll([...list].reverse())).reverse();
    expect(backward).toEqual(forward);
    // Fresh copies of the inputs (new strings and objects, as a worker receives them): the same again.
    const copies = await scoreAll(structuredClone(list));
    expect(copies).toEqual(forward);
  });
});
