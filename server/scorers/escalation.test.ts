import { describe, expect, it } from 'vitest';
import { createEscalationScorer, escalationConfusion } from './escalation.ts';
import { textualHandoff } from './handoff.ts';
import {
  EN_ANGRY_LOST_PARCEL,
  EN_CALM_DELIVERY,
  EN_DELIVERY_REPLIES,
  EN_PARCEL_REPLIES,
  inputFor,
  ZH_ANGRY_LOST_PARCEL,
  ZH_PARCEL_REPLIES,
} from '../test-support/scorer-cases.ts';

const escalation = createEscalationScorer();

describe('escalation scorer', () => {
  it('has threshold 1: right or wrong', () => {
    expect(escalation).toMatchObject({ name: 'escalation', threshold: 1, method: 'offline' });
  });

  it('fails an angry customer who is not handed off (zh and en)', async () => {
    for (const [c, reply] of [
      [ZH_ANGRY_LOST_PARCEL, ZH_PARCEL_REPLIES.noHandoff],
      [EN_ANGRY_LOST_PARCEL, EN_PARCEL_REPLIES.noHandoff],
    ] as const) {
      const res = await escalation.score(inputFor(c, reply));
      expect(res).toMatchObject({ score: 0, pass: false });
      expect(res.reason).toMatch(/MISSED: .*false negative/);
    }
  });

  it('passes a hand-off by marker or by words', async () => {
    const marker = await escalation.score(inputFor(ZH_ANGRY_LOST_PARCEL, ZH_PARCEL_REPLIES.good));
    expect(marker).toMatchObject({ score: 1, pass: true });
    expect(marker.reason).toMatch(/marker, queue complaints.*true positive/);
    const words = await escalation.score(inputFor(EN_ANGRY_LOST_PARCEL, EN_PARCEL_REPLIES.good));
    expect(words.pass).toBe(true);
  });

  it('fails a needless hand-off and passes answering an easy case', async () => {
    const needless = await escalation.score(inputFor(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.needlessHandoff));
    expect(needless.reason).toMatch(/NEEDLESS: .*false positive/);
    expect((await escalation.score(inputFor(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.good))).pass).toBe(true);
  });

  it('can ignore transfer words and trust only the marker', async () => {
    const markerOnly = createEscalationScorer({ textual_handoff: false });
    expect((await markerOnly.score(inputFor(EN_ANGRY_LOST_PARCEL, EN_PARCEL_REPLIES.good))).pass).toBe(false);
  });
});

describe('textualHandoff', () => {
  it.each([
    ['正在为您转接人工客服，请稍候。', true],
    ['我这就为您转人工。', true],
    ['会有专人在24小时内联系您处理。', true],
    ["I'm transferring you to a human agent now.", true],
    ['Let me connect you with a specialist.', true],
    ['人工客服目前不在线，请明天再联系。', false],
    ['抱歉，我无法为您转接人工。', false],
    ["Sorry, I can't transfer you right now.", false],
    ['Human agents are not available right now.', false],
    ['您的订单已发货，预计明天送达。', false],
  ] as const)('%s -> %s', (text, expected) => {
    expect(textualHandoff(text) !== null).toBe(expected);
  });
});

describe('escalationConfusion', () => {
  it('counts decisions from expected + pass and computes precision and recall', () => {
    const rows = [
      { expected: true, pass: true }, // tp
      { expected: true, pass: true }, // tp
      { expected: true, pass: false }, // fn
      { expected: false, pass: false }, // fp
      { expected: false, pass: true }, // tn
      { expected: false, pass: true }, // tn
    ];
    expect(escalationConfusion(rows)).toEqual({ tp: 2, fp: 1, fn: 1, tn: 2, precision: 2 / 3, recall: 2 / 3 });
  });

  it('is NaN where nothing was handed off or nothing needed it', () => {
    const c = escalationConfusion([{ expected: false, pass: true }]);
    expect(c.precision).toBeNaN();
    expect(c.recall).toBeNaN();
  });

  it('matches the scorer on real results', async () => {
    const cases = [
      inputFor(ZH_ANGRY_LOST_PARCEL, ZH_PARCEL_REPLIES.good),
      inputFor(EN_ANGRY_LOST_PARCEL, EN_PARCEL_REPLIES.noHandoff),
      inputFor(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.needlessHandoff),
      inputFor(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.good),
    ];
    const rows = await Promise.all(cases.map(async (i) => ({ expected: i.case.expected_escalation, pass: (await escalation.score(i)).pass })));
    expect(escalationConfusion(rows)).toMatchObject({ tp: 1, fn: 1, fp: 1, tn: 1, precision: 0.5, recall: 0.5 });
  });
});
