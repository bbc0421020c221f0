// Regressions from real data: a hand-off is not the bot resolving the issue unless the case needs
// one, the logged outcome alone does not say it does, and a correct hand-off is credited in full.
import { describe, expect, it } from 'vitest';
import type { SuiteCase } from '../domain/eval.ts';
import { createAccuracyScorer } from './accuracy.ts';
import { createEscalationScorer } from './escalation.ts';
import { escalationExpectation } from './escalation-expectation.ts';
import { createFcrScorer } from './fcr.ts';
import { inputFor, makeCase } from '../test-support/scorer-cases.ts';

const fcr = createFcrScorer();
const accuracy = createAccuracyScorer();
const escalation = createEscalationScorer();

/** A logged dialogue turned into a case with no label: expected escalation came from the outcome. */
const fromOutcome = (c: SuiteCase, escalated: boolean): SuiteCase => ({ ...c, expected_escalation: escalated, expected_escalation_source: 'outcome' });

const ZH_HUMAN = makeCase({
  id: 'zh-human',
  language: 'zh',
  contact_date: '2026-03-02',
  expected_escalation: true,
  turns: [['customer', '我要人工客服']],
  reference: '好的，正在为您转接人工客服，请稍候。',
  facts: [],
});
const EN_HUMAN = makeCase({
  id: 'en-human',
  language: 'en',
  contact_date: '2026-03-02',
  expected_escalation: true,
  turns: [['customer', 'I want to talk to a human, not a bot.']],
  reference: 'Of course. I am transferring you to one of our human agents now, please hold on.',
  facts: [],
});
const ZH_REPLY = '好的，这就帮您转人工，请稍等。[[handoff:human]]';
const EN_REPLY = "Sure thing, let me get a colleague for you. [[handoff:human]]";

describe('a correct hand-off is credited in full (zh and en)', () => {
  for (const [lang, c, reply] of [
    ['zh', ZH_HUMAN, ZH_REPLY],
    ['en', EN_HUMAN, EN_REPLY],
  ] as const) {
    it(`fcr and accuracy pass a hand-off the case needs though its words differ from the reference (${lang})`, async () => {
      const f = await fcr.score(inputFor(c, reply));
      const a = await accuracy.score(inputFor(c, reply));
      expect(f.score).toBe(1);
      expect(a.score).toBe(1);
      expect(f.pass && a.pass).toBe(true);
    });

    it(`credits the hand-off the same when only the customer's request says it is needed (${lang})`, async () => {
      const unlabeled = fromOutcome(c, false);
      expect(escalationExpectation(unlabeled)).toMatchObject({ expected: true, known: true, source: 'request' });
      expect((await fcr.score(inputFor(unlabeled, reply))).score).toBe(1);
      expect((await escalation.score(inputFor(unlabeled, reply))).reason).toMatch(/asked for a person/);
    });
  }

  it('a hand-off does not excuse the rest of the answer', async () => {
    const c = makeCase({
      id: 'zh-cancel',
      language: 'zh',
      contact_date: '2026-03-02',
      expected_escalation: true,
      turns: [['customer', '订单DD20260126910789还没发货，帮我取消！太离谱了，我要投诉']],
      reference: '非常抱歉。已为您取消订单，1199元将在1-3个工作日内原路退回。我马上为您转接主管。',
      facts: ['已为您取消', '原路退回', '主管'],
    });
    const wrong = '订单一旦支付就不能取消了，您收到货后再申请退货吧。我马上为您转接主管，由主管专门跟进处理。';
    expect((await accuracy.score(inputFor(c, wrong))).pass).toBe(false);
    expect((await fcr.score(inputFor(c, wrong))).pass).toBe(false);
  });
});

describe('the logged outcome alone does not make a hand-off right', () => {
  const c = makeCase({
    id: 'en-screen',
    language: 'en',
    contact_date: '2026-03-02',
    turns: [['customer', 'My screen cracked, what can I do?']],
    reference: 'You can book a paid screen repair in the app; it takes 3 business days.',
    facts: [],
  });
  const handoff = "I'm transferring you to a colleague now. [[handoff:human]]";

  it('an escalated log with no label scores a hand-off as not resolved by the bot', async () => {
    const unlabeled = fromOutcome(c, true);
    expect(escalationExpectation(unlabeled)).toMatchObject({ expected: false, known: false });
    const res = await fcr.score(inputFor(unlabeled, handoff));
    expect(res.score).toBeLessThanOrEqual(0.4);
    expect(res.pass).toBe(false);
    expect(res.reason).toMatch(/NOT RESOLVED BY THE BOT/);
  });

  it('escalation has no right answer to check against: n/a', async () => {
    const res = await escalation.score(inputFor(fromOutcome(c, true), handoff));
    expect(res).toMatchObject({ na: true, pass: false });
    expect(res.reason).toMatch(/^n\/a: no label says whether a hand-off was needed/);
  });

  it('a label that says a hand-off was needed still makes it right', async () => {
    const labeled = { ...c, expected_escalation: true };
    expect((await escalation.score(inputFor(labeled, handoff))).score).toBe(1);
    expect((await fcr.score(inputFor(labeled, handoff))).reason).not.toMatch(/WRONG|NOT RESOLVED/);
  });
});
