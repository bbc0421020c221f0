import { describe, expect, it } from 'vitest';
import { analyzeFcr, createFcrScorer } from './fcr.ts';
import {
  EN_ANGRY_LOST_PARCEL,
  EN_CALM_DELIVERY,
  EN_DELIVERY_REPLIES,
  EN_PARCEL_REPLIES,
  EN_SCREEN_EXPIRED,
  EN_SCREEN_REPLIES,
  inputFor,
  makeCase,
  withoutTurnsMentioning,
  ZH_ANGRY_LOST_PARCEL,
  ZH_PARCEL_REPLIES,
  ZH_RETURN_7_DAYS,
  ZH_SCREEN_EXPIRED,
  ZH_SCREEN_REPLIES,
} from '../test-support/scorer-cases.ts';

const fcr = createFcrScorer();
const score = (c: Parameters<typeof inputFor>[0], reply: string) => fcr.score(inputFor(c, reply));

describe('fcr scorer', () => {
  it('is offline with the default threshold 0.7', () => {
    expect(fcr).toMatchObject({ name: 'fcr', method: 'offline', threshold: 0.7 });
  });

  for (const [lang, c, r] of [
    ['zh', ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES],
    ['en', EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES],
  ] as const) {
    it(`passes the complete answer and ranks it above wrong, curt and re-asking ones (${lang})`, async () => {
      const good = await score(c, r.good);
      expect(good.pass).toBe(true);
      expect(good.score).toBe(1);
      for (const bad of [r.inWarranty, r.curt, r.asksOrderAgain]) {
        const res = await score(c, bad);
        expect(res.pass, bad).toBe(false);
        expect(res.score).toBeLessThan(good.score);
      }
    });

    it(`scores asking again for the order number lower than the same reply when it was never given (${lang})`, async () => {
      const orderId = c.customer!.purchases[0]!.order_id!;
      const asked = await score(c, r.asksOrderAgain);
      const fresh = await score(withoutTurnsMentioning(c, orderId), r.asksOrderAgain);
      expect(asked.score).toBeLessThan(fresh.score);
      expect(asked.reason).toMatch(/ASKS AGAIN for the order/);
      expect(asked.reason).toContain(orderId.replace('#', ''));
    });
  }

  it('caps a reply that keeps an angry customer who needs a human', async () => {
    for (const [c, r] of [
      [ZH_ANGRY_LOST_PARCEL, ZH_PARCEL_REPLIES],
      [EN_ANGRY_LOST_PARCEL, EN_PARCEL_REPLIES],
    ] as const) {
      const good = await score(c, r.good);
      const kept = await score(c, r.noHandoff);
      expect(good.pass).toBe(true);
      expect(kept.score).toBeLessThanOrEqual(0.4);
      expect(kept.reason).toMatch(/WRONG ESCALATION: does not hand off, expected a hand-off/);
    }
  });

  it('caps a needless hand-off of an easy case', async () => {
    const res = await score(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.needlessHandoff);
    expect(res.pass).toBe(false);
    expect(res.reason).toMatch(/WRONG ESCALATION: hands off \(marker, queue human\), no hand-off expected/);
  });

  it('notices a phone number the customer already gave', () => {
    const a = analyzeFcr(inputFor(ZH_RETURN_7_DAYS, '好的，请留一下您的手机号码，我帮您登记退货。'));
    expect(a.repeatedAsks.map((r) => r.kind)).toEqual(['phone']);
  });

  it('does not count "no need to send the order number" as asking', () => {
    const a = analyzeFcr(inputFor(EN_SCREEN_EXPIRED, "I found your order, so there's no need to send the order number again. " + EN_SCREEN_REPLIES.good));
    expect(a.repeatedAsks).toEqual([]);
  });

  it('uses the reference answer when the case lists no required facts', async () => {
    const c = makeCase({ ...specOf(EN_CALM_DELIVERY), facts: [] });
    const good = analyzeFcr(inputFor(c, EN_DELIVERY_REPLIES.good));
    const vague = analyzeFcr(inputFor(c, 'We are looking into it.'));
    expect(good.coverageFrom).toBe('reference');
    expect(good.score).toBeGreaterThan(vague.score);
  });
});

function specOf(c: typeof EN_CALM_DELIVERY) {
  return {
    id: c.dialogue_id,
    language: c.language,
    contact_date: c.contact_date,
    purchases: c.customer!.purchases,
    turns: c.history.map((t) => [t.role, t.text] as [typeof t.role, string]),
    reference: c.reference_answer,
    facts: c.required_facts,
  };
}
