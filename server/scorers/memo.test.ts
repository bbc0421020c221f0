import { describe, expect, it } from 'vitest';
import { analyzeAccuracy, createAccuracyScorer } from './accuracy.ts';
import { refundStance } from './claims.ts';
import { createFcrScorer } from './fcr.ts';
import { createScorers } from './registry.ts';
import { detectEmotion } from './tone.ts';
import { EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES, inputFor, ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES } from '../test-support/scorer-cases.ts';

describe('scorers sharing what they compute on the same input', () => {
  it('score an input the same whether the scorers share their analyses or each scorer runs alone', async () => {
    for (const [c, replies] of [[EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES], [ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES]] as const) {
      for (const reply of Object.values(replies)) {
        const shared = inputFor(c, reply);
        const together = await Promise.all(createScorers(['fcr', 'accuracy', 'tone', 'safety', 'escalation']).map((s) => s.score(shared)));
        const alone = await Promise.all(createScorers(['fcr', 'accuracy', 'tone', 'safety', 'escalation']).map((s) => s.score(inputFor(c, reply))));
        expect(together).toEqual(alone);
      }
    }
  });

  it('analyses an input object again when its reply changed since it was scored', async () => {
    const input = inputFor(EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES.good);
    const fcr = createFcrScorer();
    const accuracy = createAccuracyScorer();
    await fcr.score(input);
    await accuracy.score(input);
    input.reply = EN_SCREEN_REPLIES.inWarranty;
    expect(await accuracy.score(input)).toEqual(await createAccuracyScorer().score(inputFor(EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES.inWarranty)));
    expect(await fcr.score(input)).toEqual(await createFcrScorer().score(inputFor(EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES.inWarranty)));
  });

  it('keeps an accuracy scorer with its own options apart from the default analysis fcr uses', async () => {
    const input = inputFor(EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES.good);
    const strict = createAccuracyScorer({ contradiction_cap: 0, full_reference_recall: 1 });
    const fresh = await createAccuracyScorer({ contradiction_cap: 0, full_reference_recall: 1 }).score(inputFor(EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES.good));
    analyzeAccuracy(input);
    expect(await strict.score(input)).toEqual(fresh);
  });

  it('hands out shared analyses frozen, so no caller can change what the next one reads', () => {
    expect(Object.isFrozen(refundStance('You can get a refund.').yes)).toBe(true);
    expect(Object.isFrozen(detectEmotion('这是第三次了！！').signals)).toBe(true);
    expect(Object.isFrozen(analyzeAccuracy(inputFor(ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES.good)).contradictions)).toBe(true);
  });
});
