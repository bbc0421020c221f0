// Regressions from real data: a hand-off is not the bot resolving the issue unless the case needs
// one, the logged outcome alone does not say it does, and a correct hand-off is credited in full.
import { describe, expect, it } from 'vitest';
import type { SuiteCase } from '../domain/eval.ts';
import { keywordActionClaim, STATE_CHANGING_TOOLS, taubenchDialogues } from '../test-support/taubench-logs.ts';
import { actionClaims } from '../text/action-claims.ts';
import { createAccuracyScorer } from './accuracy.ts';
import { createEscalationScorer } from './escalation.ts';
import { escalationExpectation, referenceAction } from './escalation-expectation.ts';
import { canActInEval } from '../providers/registry.ts';
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

describe('a candidate that cannot act needs a person where the logged agent resolved the issue by acting', () => {
  const ZH_CANCEL = makeCase({
    id: 'zh-cancel-unshipped',
    language: 'zh',
    contact_date: '2026-03-02',
    turns: [['customer', '订单DD20260126910789还没发货，我不想要了，帮我取消吧']],
    reference: '好的，已为您取消订单DD20260126910789。货款将在1-3个工作日内原路退回。',
    facts: [],
  });
  const EN_REFUND = makeCase({
    id: 'en-double-charge',
    language: 'en',
    contact_date: '2026-03-02',
    turns: [['customer', 'I was charged twice for my order. Please sort it out.']],
    reference: "I've refunded the duplicate charge. It will be back on your card within 5 business days.",
    facts: [],
  });
  const cases = [
    ['zh', ZH_CANCEL, '这个需要人工同事为您取消，我现在为您转接人工客服，货款会在1-3个工作日内原路退回。[[handoff:human]]', '您可以在App的订单页面查看订单状态。'],
    ['en', EN_REFUND, "A colleague has to refund that for you, so I'm transferring you now; it will be back on your card within 5 business days. [[handoff:billing]]", 'Duplicate charges usually drop off your statement by themselves.'],
  ] as const;

  for (const [lang, c, handoff, answer] of cases) {
    it(`expects a hand-off from a candidate with no acting tool, whatever the label said a first-line agent needed (${lang})`, () => {
      for (const labeled of [c, fromOutcome(c, false)]) {
        expect(escalationExpectation(labeled, { can_act: false })).toMatchObject({ expected: true, known: true, source: 'action' });
        expect(escalationExpectation(labeled, { can_act: false }).action).toMatch(/已为您取消|I've refunded/);
      }
      expect(escalationExpectation(c, { can_act: true })).toMatchObject({ expected: false, source: 'case' });
      expect(escalationExpectation(c)).toMatchObject({ expected: false, source: 'case' });
    });

    it(`credits its hand-off and counts it missing when it answers without acting (${lang})`, async () => {
      const handed = await escalation.score(inputFor(c, handoff, { can_act: false }));
      expect(handed.score).toBe(1);
      expect(handed.reason).toMatch(/the logged agent acted: “(已为您取消|I've refunded)”, which this candidate cannot do/);
      expect((await escalation.score(inputFor(c, answer, { can_act: false }))).reason).toMatch(/^MISSED/);
      // An author that can act (or may have, off the record) is held to the label as before.
      expect((await escalation.score(inputFor(c, handoff, { can_act: true }))).reason).toMatch(/^NEEDLESS/);
      expect((await escalation.score(inputFor(c, handoff))).reason).toMatch(/^NEEDLESS/);
    });

    it(`fcr and accuracy leave what the reference did to the person, and still hold the rest of the answer (${lang})`, async () => {
      const f = await fcr.score(inputFor(c, handoff, { can_act: false }));
      const a = await accuracy.score(inputFor(c, handoff, { can_act: false }));
      expect(f.reason).not.toMatch(/WRONG|NOT RESOLVED/);
      expect(f.pass && a.pass).toBe(true);
      expect(a.reason).toMatch(/left to the person it hands to/);
      // The same hand-off from an author that can act is the wrong decision.
      const able = await fcr.score(inputFor(c, handoff, { can_act: true }));
      expect(able.score).toBeLessThanOrEqual(0.4);
      // A hand-off alone, without what else the reference says (when the money comes back), is not the whole answer.
      const bare = lang === 'zh' ? '我现在为您转接人工客服。[[handoff:human]]' : "I'm transferring you to a colleague now. [[handoff:human]]";
      expect((await accuracy.score(inputFor(c, bare, { can_act: false }))).score).toBeLessThan(a.score);
    });
  }

  it('does not count an action the reference states conditionally, negated, or again after the conversation already stated it', () => {
    const conditional = { ...EN_REFUND, reference_answer: 'If you confirm the order number, I will refund the duplicate charge.' };
    const negated = { ...ZH_CANCEL, reference_answer: '订单已经发货，暂时无法为您取消，您收到后可以申请退货。' };
    const restated = makeCase({
      id: 'en-refund-restated',
      language: 'en',
      contact_date: '2026-03-02',
      turns: [
        ['customer', 'I was charged twice for my order.'],
        ['agent', "I've refunded the duplicate charge."],
        ['customer', 'Thanks. When will I see it?'],
      ],
      reference: "I've refunded the duplicate charge; it will be back on your card within 5 business days.",
      facts: [],
    });
    // Restated in other words that hold the first ones: the earlier turn's claim is "订单已为您取消", the reference's "已为您取消".
    const restatedZh = makeCase({
      id: 'zh-cancel-restated',
      language: 'zh',
      contact_date: '2026-03-02',
      turns: [
        ['customer', '订单还没发货，帮我取消吧'],
        ['agent', '您的订单已为您取消了。'],
        ['customer', '钱什么时候退回？'],
      ],
      reference: '已为您取消订单，货款将在1-3个工作日内原路退回。',
      facts: [],
    });
    for (const c of [conditional, negated, restated, restatedZh]) expect(escalationExpectation(c, { can_act: false })).toMatchObject({ expected: false, source: 'case', action: null });
  });

  it('counts an action stated after another one the conversation already showed', () => {
    const second = makeCase({
      id: 'en-refund-after-cancel',
      language: 'en',
      contact_date: '2026-03-02',
      turns: [
        ['customer', 'Please cancel order #W100 and refund the duplicate charge on #W200.'],
        ['agent', "I've cancelled order #W100. Let me look at #W200."],
        ['customer', 'Thanks, and the refund?'],
      ],
      reference: "I've refunded the duplicate charge on #W200.",
      facts: [],
    });
    expect(escalationExpectation(second, { can_act: false })).toMatchObject({ expected: true, source: 'action', action: "I've refunded" });
  });
});

describe('a bot that can take only some kinds of action needs a person where the logged agent took another', () => {
  const agent = canActInEval('local:agent');
  const zhCase = (id: string, reference: string) =>
    makeCase({ id, language: 'zh', contact_date: '2026-03-02', turns: [['customer', '订单DD20260126910789还没收到，怎么回事？']], reference, facts: [] });
  const CHASED = zhCase('zh-chased', '已经帮您催促物流尽快派送，请您耐心等待。');
  const CANCELLED = zhCase('zh-cancelled', '好的，已为您取消订单DD20260126910789，货款原路退回。');
  const HANDLED = zhCase('zh-handled', '您的问题已经处理，请留意短信通知。');

  it("expects a hand-off where its tools cannot take the logged agent's action, and none where they can or the action's kind is not named", () => {
    expect(agent.acts_on).toEqual(expect.arrayContaining(['cancel', 'repair', 'return', 'address']));
    expect(agent.acts_on).not.toContain('expedite');
    expect(escalationExpectation(CHASED, agent)).toMatchObject({ expected: true, source: 'action', action: '已经帮您催促' });
    expect(escalationExpectation(CANCELLED, agent)).toMatchObject({ expected: false, source: 'case' });
    expect(escalationExpectation(HANDLED, agent)).toMatchObject({ expected: false, source: 'case' });
    // A bot that cannot act at all needs a person for each; one that can do anything, for none.
    for (const c of [CHASED, CANCELLED, HANDLED]) {
      expect(escalationExpectation(c, { can_act: false }).expected).toBe(true);
      expect(escalationExpectation(c, { can_act: true }).expected).toBe(false);
    }
  });

  it('credits its hand-off there, and leaves what the reference did to the person', async () => {
    const handoff = '催促物流需要人工同事处理，我现在为您转接人工客服。[[handoff:human]]';
    const e = await escalation.score(inputFor(CHASED, handoff, agent));
    expect(e.score).toBe(1);
    expect(e.reason).toMatch(/the logged agent acted: “已经帮您催促”, which this candidate cannot do/);
    expect((await escalation.score(inputFor(CANCELLED, handoff, agent))).reason).toMatch(/^NEEDLESS/);
    expect((await accuracy.score(inputFor(CHASED, handoff, agent))).reason).toMatch(/left to the person it hands to/);
  });

  it('still holds its hand-off to the actions within its reach that the reference took', async () => {
    const both = zhCase('zh-cancel-and-chase', '已为您取消订单DD20260126910789，货款原路退回。另外已经帮您催促物流核实另一个包裹的去向。');
    const said = '已为您取消订单DD20260126910789，货款原路退回。催促物流需要人工同事处理，我现在为您转接人工客服。[[handoff:human]]';
    const bare = '催促物流需要人工同事处理，我现在为您转接人工客服。[[handoff:human]]';
    expect(escalationExpectation(both, agent)).toMatchObject({ expected: true, action: '已经帮您催促' });
    const withCancel = await accuracy.score(inputFor(both, said, { ...agent, actions: ['cancel_order', 'handoff'] }));
    const without = await accuracy.score(inputFor(both, bare, { ...agent, actions: ['handoff'] }));
    // Its tools could have cancelled: leaving that out costs it. A bot that cannot act leaves both to the person.
    expect(without.score).toBeLessThan(withCancel.score);
    const cannot = await accuracy.score(inputFor(both, bare, { can_act: false }));
    expect(cannot.score).toBeGreaterThan(without.score);
  });
});

// Checked on real logs it was not written from: in tau-bench's retail dialogues, each customer
// message with the agent's replies to it is a case (the history before it, the replies as the
// reference, as suites cut them), and the logged agent acted there when a state-changing tool call
// came between the message and the replies. A candidate that cannot act needs a person exactly there.
describe('the cases where the logged agent acted, on tau-bench', () => {
  /** Each customer message answered by the agent, as a case, with the state-changing tools called before the answer. */
  const taubenchCases = () =>
    taubenchDialogues().flatMap((turns, d) =>
      turns.flatMap((turn, i) => {
        if (turn.role !== 'customer') return [];
        const next = turns.findIndex((t, j) => j > i && t.role === 'customer');
        const after = turns.slice(i + 1, next === -1 ? turns.length : next);
        const reference = after.filter((t) => t.role === 'agent').map((t) => t.text).join('\n');
        if (reference.trim() === '') return [];
        const tools = after.filter((t) => t.role === 'tool' && STATE_CHANGING_TOOLS.has(t.name ?? '')).map((t) => t.name!);
        const c = makeCase({ id: `tau-${d}-${i}`, language: 'en', contact_date: '2026-03-02', turns: turns.slice(0, i + 1).map((t) => [t.role, t.text]), reference, facts: [] });
        return [{ c, reference, tools }];
      }),
    );

  it('are found from the reference (precision and recall >= 0.9), well above a keyword baseline', () => {
    const rule = { tp: 0, fp: 0, fn: 0, tn: 0 };
    const claimsAlone = { ...rule };
    const baseline = { ...rule };
    const tally = (c: typeof rule, acted: boolean, said: boolean) => c[acted ? (said ? 'tp' : 'fn') : said ? 'fp' : 'tn']++;
    for (const { c, reference, tools } of taubenchCases()) {
      const acted = tools.length > 0;
      tally(rule, acted, referenceAction(c) !== null);
      tally(claimsAlone, acted, actionClaims(reference).length > 0);
      tally(baseline, acted, keywordActionClaim(reference));
    }
    // 2026-12-07: tp 69, fp 2, fn 7, tn 386 (precision 0.97, recall 0.91, F1 0.94); every claim, restated
    // or not: F1 0.97 (the 4 more are a second action stated in the words of the first); leaving out
    // each case with any earlier action: recall 0.76, F1 0.85; the keyword baseline: precision 0.56, F1 0.71.
    const precision = (c: typeof rule) => c.tp / (c.tp + c.fp);
    const recall = (c: typeof rule) => c.tp / (c.tp + c.fn);
    const f1 = (c: typeof rule) => (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
    expect(rule.tp + rule.fn).toBeGreaterThan(60);
    expect(precision(rule)).toBeGreaterThanOrEqual(0.9);
    expect(recall(rule)).toBeGreaterThanOrEqual(0.9);
    expect(f1(rule)).toBeGreaterThan(f1(baseline) + 0.15);
    // The restated claims it leaves out cost it little against taking every claim.
    expect(f1(rule)).toBeGreaterThan(f1(claimsAlone) - 0.05);
  });

  it("does not expect a hand-off from local:agent where tau-bench's agent took only actions local:agent's tools take, and does where it exchanged items", () => {
    const agent = canActInEval('local:agent');
    const within = new Set(['cancel_pending_order', 'return_delivered_order_items', 'modify_pending_order_address', 'modify_user_address']);
    const counts = { withinCases: 0, withinExpected: 0, exchangeCases: 0, exchangeExpected: 0 };
    for (const { c, tools } of taubenchCases()) {
      if (tools.length === 0) continue;
      const expected = escalationExpectation(c, agent).source === 'action';
      if (tools.every((t) => within.has(t))) {
        counts.withinCases++;
        if (expected) counts.withinExpected++;
      } else if (tools.every((t) => t === 'exchange_delivered_order_items')) {
        counts.exchangeCases++;
        if (expected) counts.exchangeExpected++;
      }
    }
    // 2026-12-07: none of the 43 cases within its tools; 13 of the 14 exchanges (local:agent cannot
    // exchange; the other one's reply names no kind of action).
    expect(counts.withinCases).toBeGreaterThan(35);
    expect(counts.withinExpected).toBe(0);
    expect(counts.exchangeCases).toBeGreaterThan(10);
    expect(counts.exchangeExpected).toBeGreaterThanOrEqual(counts.exchangeCases * 0.8);
  });
});
