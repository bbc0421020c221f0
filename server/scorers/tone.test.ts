import { describe, expect, it } from 'vitest';
import { analyzeTone, createToneScorer, detectEmotion } from './tone.ts';
import {
  EN_ANGRY_LOST_PARCEL,
  EN_CALM_DELIVERY,
  EN_DELIVERY_REPLIES,
  EN_PARCEL_REPLIES,
  EN_SCREEN_EXPIRED,
  EN_SCREEN_REPLIES,
  inputFor,
  makeCase,
  ZH_ANGRY_LOST_PARCEL,
  ZH_PARCEL_REPLIES,
  ZH_SCREEN_EXPIRED,
  ZH_SCREEN_REPLIES,
} from '../test-support/scorer-cases.ts';

const tone = createToneScorer();
const score = (c: Parameters<typeof inputFor>[0], reply: string) => tone.score(inputFor(c, reply));

describe('detectEmotion', () => {
  it.each([
    ['你们什么破服务！太差了，我要投诉', 'angry'],
    ['气死我了，垃圾产品', 'angry'],
    ['屏幕又坏了！！！', 'angry'],
    ['This is ridiculous, what the hell is going on?', 'angry'],
    ['Totally unacceptable.', 'angry'],
    ['I want this fixed NOW.', 'angry'],
    ['唉，能不能尽快处理？', 'frustrated'],
    ['Ugh, this is really inconvenient.', 'frustrated'],
    ['Why is it still not here??', 'frustrated'],
    ['你好，请问耳机怎么连蓝牙？谢谢。', 'calm'],
    ['Hi, could you check my order? Thanks.', 'calm'],
    ['My VIP order with IMEI 123 is fine.', 'calm'],
  ] as const)('%s -> %s', (text, emotion) => {
    expect(detectEmotion(text).emotion).toBe(emotion);
  });

  it('ignores negated anger words', () => {
    expect(detectEmotion("I'm not angry, just asking.").emotion).toBe('calm');
  });
});

describe('tone scorer', () => {
  it('maps the 1–5 rubric to 0–1', () => {
    const a = analyzeTone(inputFor(ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES.good));
    expect(a.rubric).toBe(5);
    expect(a.score).toBe(1);
    expect(analyzeTone(inputFor(ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES.rude)).score).toBeCloseTo((1.5 - 1) / 4, 10);
  });

  for (const [lang, c, r] of [
    ['zh', ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES],
    ['en', EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES],
  ] as const) {
    it(`ranks polite and empathetic above curt, blaming and rude (${lang})`, async () => {
      const good = await score(c, r.good);
      const curt = await score(c, r.curt);
      const blaming = await score(c, r.blaming);
      const rude = await score(c, r.rude);
      expect(good.pass).toBe(true);
      for (const bad of [curt, blaming, rude]) {
        expect(bad.pass).toBe(false);
        expect(bad.score).toBeLessThan(good.score);
      }
      expect(rude.score).toBeLessThanOrEqual(blaming.score);
      expect(blaming.reason).toMatch(/BLAME/);
      expect(rude.reason).toMatch(/RUDE/);
      expect(curt.reason).toMatch(/curt/);
    });
  }

  it('wants empathy for an angry customer, and says what it found', async () => {
    const good = await score(ZH_ANGRY_LOST_PARCEL, ZH_PARCEL_REPLIES.good);
    expect(good.pass).toBe(true);
    expect(good.reason).toMatch(/customer angry \(.*投诉.*\)/);
    expect(good.reason).toMatch(/empathy “.*抱歉/);
    const cold = await score(EN_ANGRY_LOST_PARCEL, 'Please wait while the courier checks the parcel, it may still be delivered by tomorrow afternoon.');
    expect(cold.pass).toBe(false);
    expect(cold.reason).toMatch(/no empathy for an upset customer/);
    const dismissive = await score(EN_ANGRY_LOST_PARCEL, EN_PARCEL_REPLIES.dismissive);
    expect(dismissive.score).toBeLessThan(cold.score);
    expect(dismissive.reason).toMatch(/dismissive “.*calm down/);
  });

  it('accepts a plain, courteous answer to a calm customer', async () => {
    const res = await score(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.good);
    expect(res.pass).toBe(true);
    expect(res.reason).toMatch(/^customer calm; polite/);
  });

  it('marks down slang and shouting', () => {
    const polite = analyzeTone(inputFor(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.good));
    const slang = analyzeTone(inputFor(EN_CALM_DELIVERY, EN_DELIVERY_REPLIES.good + ' lol!!'));
    expect(slang.rubric).toBeLessThan(polite.rubric);
    expect(slang.unprofessional).toEqual(expect.arrayContaining(['lol', '!!']));
  });
});

describe('placeholders and codes are not anger (regressions from real logs)', () => {
  const calm = (turn: string) => makeCase({ id: 'codes', language: 'en', turns: [['customer', turn]], contact_date: '2026-03-02', reference: 'I have changed the booking for you.', facts: [] });
  const reply = 'Thank you, I have changed your booking to Friday. Is there anything else I can help with?';

  it.each([
    'Please call me on [PHONE] or write to [EMAIL] about booking HXDUBJ.',
    'My ID is [ID_CARD] and the refund should go to [BANK_CARD].',
    'The SKU-AB12 charger from order ORD-20260131 does not fit.',
    '我的手机号是 13812315678，麻烦查一下订单。',
  ])('a calm customer stays calm: %s', async (turn) => {
    expect(detectEmotion(turn).emotion).toBe('calm');
    const c = calm(turn);
    // The same reply scores the same whether or not the customer gave a phone number or a code.
    expect((await tone.score(inputFor(c, reply))).score).toBe((await tone.score(inputFor(calm('Please change my booking to Friday.'), reply))).score);
  });

  it('still hears capitals that shout', () => {
    expect(detectEmotion('I have asked THREE TIMES, fix it NOW').emotion).toBe('angry');
  });
});
