import { describe, expect, it } from 'vitest';
import { analyzeAccuracy, createAccuracyScorer } from './accuracy.ts';
import { refundStance, statedWindows, warrantyClaims } from './claims.ts';
import { analyzeFcr } from './fcr.ts';
import {
  EN_CALM_DELIVERY,
  EN_DELIVERY_REPLIES,
  EN_REFUND_OUTSIDE,
  EN_REFUND_REPLIES,
  EN_SCREEN_EXPIRED,
  EN_SCREEN_REPLIES,
  inputFor,
  makeCase,
  ZH_RETURN_7_DAYS,
  ZH_RETURN_REPLIES,
  ZH_SCREEN_EXPIRED,
  ZH_SCREEN_REPLIES,
} from '../test-support/scorer-cases.ts';

const accuracy = createAccuracyScorer();
const score = (c: Parameters<typeof inputFor>[0], reply: string) => accuracy.score(inputFor(c, reply));

describe('accuracy scorer: warranty from the record', () => {
  it('computes the 14-month-old purchase with 12 months of warranty as expired', () => {
    expect(ZH_SCREEN_EXPIRED.customer!.purchases[0]!.warranty).toMatchObject({ status: 'expired', expires_on: '2026-01-09' });
  });

  for (const [lang, c, r] of [
    ['zh', ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES],
    ['en', EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES],
  ] as const) {
    it(`fails an in-warranty answer for an expired purchase and passes the out-of-warranty one (${lang})`, async () => {
      const wrong = await score(c, r.inWarranty);
      const right = await score(c, r.good);
      expect(wrong.pass).toBe(false);
      expect(wrong.score).toBeLessThanOrEqual(0.3);
      expect(wrong.reason).toMatch(/CONTRADICTION: says .* expired on 2026-01-09/);
      expect(right.pass).toBe(true);
      expect(right.score).toBeGreaterThan(0.9);
    });
  }

  it('fails an out-of-warranty answer for a covered purchase', async () => {
    const covered = { ...ZH_SCREEN_EXPIRED, contact_date: '2025-12-20' };
    const res = await score(covered, ZH_SCREEN_REPLIES.good);
    expect(res.pass).toBe(false);
    expect(res.reason).toMatch(/is covered until 2026-01-09/);
  });

  it('reads negated coverage as out of warranty, and skips conditional sentences', () => {
    expect(warrantyClaims('您的手机已经不在保修期内了，需要付费维修。')).toEqual({ inWarranty: [], outOfWarranty: expect.arrayContaining(['不在保修', '付费维修']) });
    expect(warrantyClaims("It's not under warranty any more.").inWarranty).toEqual([]);
    expect(warrantyClaims('如果在保修期内可以免费维修。您的手机已过保修期。')).toEqual({ inWarranty: [], outOfWarranty: ['过保'] });
    expect(warrantyClaims('If it were under warranty the repair would be free. It is out of warranty.').inWarranty).toEqual([]);
  });

  it('falls back to the reference answer without a CRM profile', async () => {
    const c = { ...EN_SCREEN_EXPIRED, customer: null };
    expect((await score(c, EN_SCREEN_REPLIES.inWarranty)).reason).toMatch(/the reference says it is out of warranty/);
  });

  it('with several purchases, judges the one the conversation mentions', () => {
    const c = makeCase({
      id: 'two-purchases',
      language: 'en',
      contact_date: '2026-03-12',
      purchases: [
        { product: 'Nova X5 phone', purchased_at: '2025-01-10', warranty_months: 12, order_id: '#W4923227' },
        { product: 'Pulse Buds Pro', purchased_at: '2026-01-02', warranty_months: 12, order_id: '#W4000001' },
      ],
      turns: [['customer', 'My Pulse Buds Pro (#W4000001) stopped charging.']],
      reference: 'They are under warranty, so we will do a free repair.',
      facts: ['under warranty'],
    });
    expect(analyzeAccuracy(inputFor(c, "They're out of warranty, so it's a paid repair.")).contradictions).toHaveLength(1);
    expect(analyzeAccuracy(inputFor(c, "They're under warranty, so it's a free repair.")).contradictions).toEqual([]);
  });
});

describe('accuracy scorer: refunds and windows', () => {
  it('fails a wrong no-reason window (15 days instead of 7)', async () => {
    const res = await score(ZH_RETURN_7_DAYS, ZH_RETURN_REPLIES.wrongWindow);
    expect(res.pass).toBe(false);
    expect(res.reason).toMatch(/15-day no-reason return; policy is 7 days/);
    expect(statedWindows('30-day defect return and 7-day no-reason return')).toEqual({ noReason: [7], defect: [30] });
  });

  it('fails refusing a refund the reference grants, and granting one it refuses', async () => {
    const refuses = await score(ZH_RETURN_7_DAYS, ZH_RETURN_REPLIES.refuses);
    expect(refuses.pass).toBe(false);
    expect(refuses.reason).toMatch(/refuses a refund/);
    const grants = await score(EN_REFUND_OUTSIDE, EN_REFUND_REPLIES.promisesRefund);
    expect(grants.pass).toBe(false);
    expect(grants.reason).toMatch(/offers a refund .* the reference refuses/);
    expect((await score(EN_REFUND_OUTSIDE, EN_REFUND_REPLIES.good)).pass).toBe(true);
  });

  it('tells refusals from grants when one phrase contains the other', () => {
    expect(refundStance('Unfortunately it is not eligible for a refund.').stance).toBe('no');
    expect(refundStance('It is eligible for a full refund.').stance).toBe('yes');
    expect(refundStance('不好意思，这个不能退款。').stance).toBe('no');
    expect(refundStance('可以为您办理退款，款项原路退回。').stance).toBe('yes');
  });

  it('lowers a reply whose date conflicts with the reference', async () => {
    const right = await score(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.good);
    const wrong = await score(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.wrongDate);
    expect(wrong.score).toBeLessThan(right.score);
    expect(wrong.pass).toBe(false);
    expect(wrong.reason).toMatch(/conflict: date 3-20/);
  });

  it('ranks the correct answer above wrong, curt and rude ones', async () => {
    const good = (await score(ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES.good)).score;
    for (const bad of [ZH_SCREEN_REPLIES.inWarranty, ZH_SCREEN_REPLIES.curt, ZH_SCREEN_REPLIES.rude]) {
      expect((await score(ZH_SCREEN_EXPIRED, bad)).score).toBeLessThan(good);
    }
  });

  it('says "no human available" is a contradiction when the case needs a hand-off', () => {
    const c = { ...EN_CALM_DELIVERY, expected_escalation: true };
    expect(analyzeAccuracy(inputFor(c, 'Human agents are not available right now. Try again tomorrow.')).contradictions[0]).toMatch(/needs a hand-off/);
  });
});

describe('accuracy scorer: actions the reply says were taken', () => {
  const refunded = "Sorry about that! I've refunded the $129 to your card and cancelled the order #W6600123.";
  // The same case with its earlier tool call (lookup_order) logged without a name: it may have acted.
  const unnamedTool = { ...EN_CALM_DELIVERY, history: EN_CALM_DELIVERY.history.map((t) => (t.role === 'tool' ? { role: t.role, text: t.text } : t)) };

  it('caps a reply that says it refunded or cancelled when the candidate took no action', async () => {
    const res = await accuracy.score(inputFor(EN_CALM_DELIVERY, refunded, { actions: [] }));
    expect(res.pass).toBe(false);
    expect(res.score).toBeLessThanOrEqual(0.3);
    expect(res.reason).toMatch(/I've refunded.*but took no action/);
    const zh = analyzeAccuracy(inputFor(ZH_RETURN_7_DAYS, '好的，已为您提交退货申请，取件员明天上门，收到后899元原路退回。', { actions: [] }));
    expect(zh.contradictions.join(' ')).toMatch(/已为您提交.*took no action/);
  });

  it('takes the reply at its word when the candidate acted, handed off, or may have acted off the record', () => {
    for (const actions of [['cancel_order'], ['handoff'], undefined]) {
      const input = inputFor(EN_CALM_DELIVERY, refunded, actions === undefined ? {} : { actions });
      expect(analyzeAccuracy(input).contradictions.filter((c) => /took no action/.test(c))).toEqual([]);
    }
  });

  it('leaves replies that state no action alone, and restated actions the conversation already shows (or may: a tool of unknown kind)', () => {
    expect(analyzeAccuracy(inputFor(unnamedTool, refunded, { actions: [] })).contradictions.filter((c) => /took no action/.test(c))).toEqual([]);
    expect(analyzeAccuracy(inputFor(ZH_RETURN_7_DAYS, ZH_RETURN_REPLIES.good, { actions: [] })).contradictions).toEqual([]);
    const earlier = { ...ZH_RETURN_7_DAYS, history: [...ZH_RETURN_7_DAYS.history, { role: 'agent' as const, text: '已为您提交退货申请。' }, { role: 'customer' as const, text: '什么时候退款？' }], customer_message: '什么时候退款？' };
    expect(analyzeAccuracy(inputFor(earlier, '已为您提交退货申请，收到退货后1-3个工作日内原路退回。', { actions: [] })).contradictions).toEqual([]);
  });

  it('caps FCR too: the customer will be back for the refund that never came', () => {
    const res = analyzeFcr(inputFor(EN_CALM_DELIVERY, refunded, { actions: [] }));
    expect(res.contradictions.join(' ')).toMatch(/took no action/);
    expect(res.score).toBeLessThanOrEqual(0.4);
  });
});

describe('accuracy with nothing to check against', () => {
  const bare = makeCase({ id: 'en-bare', language: 'en', contact_date: '2026-03-02', no_customer: true, turns: [['customer', 'Can you help me with my order?']], reference: '', facts: [] });

  it('is n/a, not a free 1.0, when there is no reference, fact or record', async () => {
    const res = await createAccuracyScorer().score(inputFor(bare, 'Sure, your order ships tomorrow and the refund is on its way.'));
    expect(res).toMatchObject({ na: true, score: 0, pass: false });
    expect(res.reason).toMatch(/^n\/a: no reference answer/);
  });

  it('scores a claim the policy can check even without a reference', async () => {
    const res = await createAccuracyScorer().score(inputFor(bare, 'You can return it within 15 days no-reason.'));
    expect(res.na).toBeUndefined();
    expect(res.pass).toBe(false);
  });
});
