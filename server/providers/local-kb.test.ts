import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPromptTemplate } from '../candidates/load-candidate.ts';
import type { CustomerView } from '../domain/api.ts';
import type { Language, Turn } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import { parseReply, type PromptTemplate, type SuiteCase } from '../domain/eval.ts';
import { warrantyOn } from '../domain/warranty.ts';
import {
  buildKnowledgeBase,
  createLocalKbProvider,
  decideHandoff,
  retrievalTerms,
  returnWindowClaims,
  warrantyClaim,
  type KbEntry,
} from './local-kb.ts';

const ROOT = join(import.meta.dirname, '..', '..');

const ENTRIES: KbEntry[] = [
  { id: 'zh-screen-in', language: 'zh', intent: 'screen_repair', question: '我的手机屏幕摔碎了，能修吗？', answer: '您的手机目前在保修期内，屏幕可以免费维修，可到店或申请免费寄修。' },
  { id: 'zh-screen-out', language: 'zh', intent: 'screen_repair', question: '手机不小心摔了一下，屏幕裂了', answer: '您的手机已过保修期，屏幕需要付费维修，我们会先给您维修报价。' },
  { id: 'zh-refund', language: 'zh', intent: 'refund_request', question: '买了三天的耳机不想要了，想退货退款', answer: '购买7天内支持无理由退货，在订单页申请退货，快递免费上门取件，收货后1-3个工作日原路退款。' },
  { id: 'zh-delivery', language: 'zh', intent: 'delivery_delay', question: '我的快递物流好几天没更新了，包裹什么时候能到？', answer: '物流超过48小时未更新时，可在订单页点击“催件”，快递一般两天内送达。' },
  { id: 'zh-plan', language: 'zh', intent: 'plan_recommendation', question: '每个月流量都不够用，想换个套餐', answer: '建议升级到畅享99元套餐，含60GB流量，次月1日生效。' },
  { id: 'zh-human', language: 'zh', intent: 'human_request', question: '别让机器人回答了', answer: '好的，马上为您转接。' },
  { id: 'en-screen-in', language: 'en', intent: 'screen_repair', question: 'I dropped my phone and the screen cracked. Can it be fixed?', answer: "Your phone is still under warranty, so the screen is a free repair in store or by mail-in." },
  { id: 'en-screen-out', language: 'en', intent: 'screen_repair', question: 'the screen on my phone is smashed, can you repair it', answer: 'Your phone is out of warranty, so the screen replacement is a paid repair; we will send you a quote.' },
  { id: 'en-refund', language: 'en', intent: 'refund_request', question: "I bought earbuds three days ago and they're not for me, I'd like to return them", answer: 'Within 7 days you can return it for any reason: request a return on the order page and pickup is free.' },
  { id: 'en-router', language: 'en', intent: 'device_setup', question: "How do I set up the router with my broadband? There's no internet", answer: "Connect the modem's LAN port to the router's blue WAN port, open 192.168.31.1 and choose PPPoE." },
  { id: 'en-bill', language: 'en', intent: 'billing_dispute', question: 'I was charged twice for my monthly plan this month', answer: 'The duplicate charge has been refunded; it will reach you within 3-5 business days.' },
];

const kb = buildKnowledgeBase(ENTRIES);
const provider = createLocalKbProvider({ knowledgeBase: kb });
let template: PromptTemplate;

beforeAll(async () => {
  template = await loadPromptTemplate('prompts/concise-v1.yaml', { root: ROOT });
});

function customer(tier: CustomerView['tier'], purchases: { product: string; purchased_at: string; warranty_months: number; order_id?: string }[] = []): CustomerView {
  return {
    customer_id: 'c-1',
    tier,
    purchases: purchases.map((p) => ({ ...p, warranty: warrantyOn(p, '2026-03-02') })),
  };
}

function kase(language: Language, turns: (string | Turn)[], extra: Partial<SuiteCase> = {}): SuiteCase {
  const history: Turn[] = turns.map((t) => (typeof t === 'string' ? { role: 'customer', text: t } : t));
  const last = [...history].reverse().find((t) => t.role === 'customer');
  return {
    case_id: 'd-1#9',
    dialogue_id: 'd-1',
    history,
    customer_message: last?.text ?? '',
    customer: null,
    contact_date: '2026-03-02',
    reference_answer: 'REFERENCE ANSWER',
    required_facts: [],
    expected_escalation: false,
    intent: null,
    language,
    channel: 'web',
    human_reply: 'HUMAN REPLY',
    gold: { fcr: null, accuracy: null, tone: null },
    ...extra,
  };
}

async function reply(c: SuiteCase) {
  const result = await provider.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: c, template });
  expect(result.model).toBe('local:kb');
  return { text: result.text, ...parseReply(result.text) };
}

describe('retrieval', () => {
  it('finds the answer to a paraphrased English question', () => {
    expect(kb.search('my new earbuds are not for me, can I send them back for a refund?', 'en', 1)[0]?.entry.id).toBe('en-refund');
    expect(kb.search('Internet does not work after setting up the router', 'en', 1)[0]?.entry.id).toBe('en-router');
    expect(kb.search('why did you charge me twice this month?', 'en', 1)[0]?.entry.id).toBe('en-bill');
  });

  it('finds the answer to a paraphrased Chinese question', () => {
    expect(kb.search('耳机刚买没几天，不想要了，可以退吗', 'zh', 1)[0]?.entry.intent).toBe('refund_request');
    expect(kb.search('包裹一直不到，物流也不更新', 'zh', 1)[0]?.entry.id).toBe('zh-delivery');
    expect(kb.search('流量老是超，有没有更合适的套餐', 'zh', 1)[0]?.entry.id).toBe('zh-plan');
  });

  it('searches only the entries of the language asked for', () => {
    expect(kb.search('refund', 'zh', 5)).toEqual([]);
    expect(buildKnowledgeBase([]).search('refund', 'en', 5)).toEqual([]);
    expect(kb.size).toBe(ENTRIES.length);
  });

  it('indexes Chinese words and character bigrams, English words lightly stemmed, without ids', () => {
    const zh = retrievalTerms('屏幕碎了，订单号DD20260101123456', 'zh');
    expect(zh).toEqual(expect.arrayContaining(['屏幕', '~屏幕', '~幕碎']));
    expect(zh.some((t) => t.includes('2026'))).toBe(false);
    expect(retrievalTerms('charged charges charging', 'en')).toEqual(['charg', 'charg', 'charg']);
  });

  it('ranks ties by entry order and scores the same query the same way every time', () => {
    const twin = buildKnowledgeBase([
      { id: 'a', language: 'en', question: 'screen cracked', answer: 'A' },
      { id: 'b', language: 'en', question: 'screen cracked', answer: 'B' },
    ]);
    expect(twin.search('cracked screen', 'en', 2).map((h) => h.entry.id)).toEqual(['a', 'b']);
    expect(kb.search('屏幕碎了', 'zh', 3)).toEqual(kb.search('屏幕碎了', 'zh', 3));
  });
});

describe('local:kb replies', () => {
  it('answers from the best match, with the greeting on the first reply and the sign-off', async () => {
    const r = await reply(kase('en', ["Hi, I got these earbuds 3 days ago and don't like them. Can I return them?"]));
    expect(r.handoff).toBeNull();
    expect(r.answer).toBe(`${template.greeting!.en} ${ENTRIES[8]!.answer} ${template.sign_off!.en}`);
  });

  it('greets only on the first reply', async () => {
    const r = await reply(kase('zh', ['物流三天没更新了，包裹到底什么时候到', { role: 'agent', text: '请提供订单号' }, '订单号DD20260301000001']));
    expect(r.answer).toBe(ENTRIES[3]!.answer + template.sign_off!.zh);
  });

  it('uses the earlier messages when the latest one is only an order number', async () => {
    const r = await reply(kase('en', ["How do I get the router online? I've no internet", { role: 'agent', text: 'Could you give me the order number?' }, "It's DD20260301000001."]));
    expect(r.answer).toContain('192.168.31.1');
  });

  it('hands off to a person when the customer asks for one', async () => {
    const zh = await reply(kase('zh', ['我要转人工']));
    expect(zh.handoff).toEqual({ queue: 'human' });
    expect(zh.answer).toContain(template.escalation.message.zh);
    const en = await reply(kase('en', ['I want to speak to a human']));
    expect(en.handoff).toEqual({ queue: 'human' });
    expect(en.answer).toContain(template.escalation.message.en);
    expect(en.text).toMatch(/\[\[handoff:human\]\]$/);
  });

  it('sends an angry VIP to the VIP queue, and an angry standard customer to a person', async () => {
    const vip = await reply(kase('en', ['This is ridiculous. I was charged twice for my plan and nobody fixed it!!!'], { customer: customer('vip') }));
    expect(vip.handoff).toEqual({ queue: 'vip' });
    const zh = await reply(kase('zh', ['你们什么破服务！快递一周了还没到！！！']));
    expect(zh.handoff).toEqual({ queue: 'human' });
  });

  it('hands a VIP with a complex issue to the VIP queue, but answers a VIP simple question', async () => {
    const billing = await reply(kase('en', ['I was charged twice for my monthly plan this month'], { customer: customer('vip') }));
    expect(billing.handoff).toEqual({ queue: 'vip' });
    const simple = await reply(kase('en', ["I bought earbuds three days ago and they're not for me, can I return them?"], { customer: customer('vip') }));
    expect(simple.handoff).toBeNull();
  });

  it('sends complaints to the complaints queue', async () => {
    const r = await reply(kase('zh', ['我要投诉你们门店的店员']));
    expect(r.handoff).toEqual({ queue: 'complaints' });
  });

  it('falls back and hands off when nothing matches well enough', async () => {
    const en = await reply(kase('en', ["What's the weather like in Paris tomorrow?"]));
    expect(en.answer).toBe(`${template.greeting!.en} ${template.fallback_message.en}`);
    expect(en.handoff).toEqual({ queue: 'human' });
    const zh = await reply(kase('zh', ['你们公司的股票代码是多少']));
    expect(zh.answer).toContain(template.fallback_message.zh);
    expect(zh.handoff).toEqual({ queue: 'human' });
  });

  it('never sends an answer that says an action was taken: a quiet answer of the topic instead, or a hand-off when there is none', async () => {
    const entries: KbEntry[] = [
      { id: 'en-dup-done', language: 'en', intent: 'billing_dispute', question: 'I was charged twice for my plan this month', answer: "I've refunded the duplicate $25; it will be back on your card within 3-5 business days." },
      { id: 'en-dup-how', language: 'en', intent: 'billing_dispute', question: 'charged twice for my plan', answer: 'A duplicate charge is refunded to the original payment method within 3-5 business days of the billing team confirming it.' },
      { id: 'en-cancel-done', language: 'en', intent: 'cancel_order', question: "Please cancel my order, it hasn't shipped", answer: "Your order hasn't shipped yet, so I've cancelled it for you. The money goes back within 1-3 business days." },
      { id: 'en-cancel-done-2', language: 'en', intent: 'cancel_order', question: 'cancel the order I placed yesterday', answer: 'The order has been successfully cancelled and refunded.' },
      { id: 'zh-cancel-done', language: 'zh', intent: 'cancel_order', question: '订单还没发货，帮我取消吧', answer: '您的订单还没有发货，已为您取消订单，款项将在1-3个工作日内原路退回。' },
      { id: 'zh-cancel-how', language: 'zh', intent: 'cancel_order', question: '还没发货的订单怎么取消', answer: '未发货的订单可在“我的订单”中点击取消，款项1-3个工作日内原路退回。' },
      { id: 'zh-report-done', language: 'zh', intent: 'network_fault', question: '家里宽带又断网了', answer: '您反映的问题小沃已为您登记反馈，请留意工作人员的联系回复。' },
    ];
    const bot = createLocalKbProvider({ knowledgeBase: buildKnowledgeBase(entries) });
    const ask = async (language: Language, text: string) =>
      parseReply((await bot.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: kase(language, [text]), template })).text);
    // The best match says it refunded; the same topic's quiet answer is sent instead.
    const billing = await ask('en', 'I was charged twice for my plan this month');
    expect(billing.handoff).toBeNull();
    expect(billing.answer).toContain(entries[1]!.answer);
    const zh = await ask('zh', '订单还没发货，帮我取消吧');
    expect(zh.answer).toContain(entries[5]!.answer);
    // Every answer of the topic says the order was cancelled: a person has to cancel it.
    const cancel = await ask('en', "Please cancel my order, it hasn't shipped");
    expect(cancel.answer).toContain(template.escalation.message.en);
    expect(cancel.answer).not.toMatch(/cancelled/);
    expect(cancel.handoff).toEqual({ queue: 'human' });
    const report = await ask('zh', '家里宽带又断网了');
    expect(report.answer).toContain(template.escalation.message.zh);
    expect(report.handoff).toEqual({ queue: 'human' });
  });

  it("hands off rather than send an answer that contradicts the customer's record, when the only one that fits it says an action was taken", async () => {
    const bot = createLocalKbProvider({
      knowledgeBase: buildKnowledgeBase([
        { id: 'zh-past', language: 'zh', intent: 'refund_request', question: '平板有质量问题，能退款吗', answer: '您的平板已经超过7天无理由退货和30天质量问题退换期限，无法办理退款，可以为您免费维修。' },
        { id: 'zh-in-done', language: 'zh', intent: 'refund_request', question: '平板有质量问题想退款', answer: '您的平板未满30天，属于质量问题，可以退货退款。我已为您提交退货申请，检测确认后全额退款。' },
      ]),
    });
    const ask = async (purchasedAt: string) =>
      parseReply(
        (
          await bot.generate({
            messages: [],
            params: { temperature: 0, max_tokens: 400 },
            template,
            case: kase('zh', ['平板有质量问题，能退款吗'], { customer: customer('standard', [{ product: 'Slate Pad 11', purchased_at: purchasedAt, warranty_months: 12 }]) }),
          })
        ).text,
      );
    const fresh = await ask('2026-02-27'); // three days before the contact: inside both windows
    expect(fresh.handoff).toEqual({ queue: 'human' });
    expect(fresh.answer).not.toContain('超过');
    expect(fresh.answer).not.toContain('已为您提交');
    const old = await ask('2025-10-01'); // past both: the first answer fits
    expect(old.handoff).toBeNull();
    expect(old.answer).toContain('无法办理退款');
  });

  it("picks, among similar answers, the one that agrees with the customer's warranty", async () => {
    const purchases = [{ product: 'Nova X5 phone', purchased_at: '2024-01-10', warranty_months: 12, order_id: 'DD1' }];
    const expired = await reply(kase('en', ['I dropped my Nova X5 phone and the screen cracked, can it be fixed?'], { customer: customer('standard', purchases) }));
    expect(warrantyClaim(expired.answer, 'en')).toBe('expired');
    const covered = [{ product: 'Nova X5 phone', purchased_at: '2025-12-10', warranty_months: 12, order_id: 'DD2' }];
    const inWarranty = await reply(kase('en', ['the screen on my Nova X5 phone is smashed, can you repair it'], { customer: customer('standard', covered) }));
    expect(warrantyClaim(inWarranty.answer, 'en')).toBe('in_warranty');
    const zh = await reply(kase('zh', ['我的手机屏幕摔碎了，能修吗？'], { customer: customer('standard', [{ product: 'Nova X5 手机', purchased_at: '2024-01-10', warranty_months: 12 }]) }));
    expect(warrantyClaim(zh.answer, 'zh')).toBe('expired');
  });

  it('never tells a customer their purchase is inside a return window it has left, or past one it is inside', async () => {
    expect(returnWindowClaims('您的订单于1月1日购买，未超过7天，支持7天无理由退货。', 'zh')).toEqual([{ days: 7, within: true }]);
    expect(returnWindowClaims('已经超过7天无理由退货和30天质量问题退换期限', 'zh')).toEqual([{ days: 7, within: false }, { days: 30, within: false }]);
    expect(returnWindowClaims('It is past both the 7-day no-reason return window and the 30-day defect return period.', 'en')).toEqual([{ days: 7, within: false }, { days: 30, within: false }]);
    expect(returnWindowClaims('还在7天无理由退货和30天质量问题退换期内。', 'zh')).toEqual([{ days: 7, within: true }, { days: 30, within: true }]);
    expect(returnWindowClaims('Within 7 days you can return it for any reason.', 'en')).toEqual([]); // the policy, not a claim about this purchase

    const windows = createLocalKbProvider({
      knowledgeBase: buildKnowledgeBase([
        { id: 'en-in', language: 'en', intent: 'refund_request', question: 'I want to return my new earbuds and get my money back', answer: 'Your order was placed recently, which is within our 7-day no-reason return window, so you can return it from the order page.' },
        { id: 'en-past', language: 'en', intent: 'refund_request', question: 'can I return my earbuds for a refund', answer: 'Your earbuds are past the 7-day no-reason return window and the 30-day defect period, so a refund is not possible; we can repair them under warranty.' },
        { id: 'zh-in', language: 'zh', intent: 'refund_request', question: '耳机不想要了，想退货退款', answer: '您的耳机还在7天内，支持7天无理由退货，请在订单页申请。' },
        { id: 'zh-past', language: 'zh', intent: 'refund_request', question: '耳机能退货退款吗', answer: '您的耳机已经超过7天无理由退货期限，无法退款，可以为您保修维修。' },
      ]),
    });
    const ask = async (language: Language, text: string, purchasedAt: string) =>
      (await windows.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, template, case: kase(language, [text], { customer: customer('standard', [{ product: 'Pulse Buds earbuds', purchased_at: purchasedAt, warranty_months: 12 }]) }) })).text;
    for (const [language, text] of [['en', 'I want to return my new earbuds and get my money back'], ['zh', '耳机不想要了，想退货退款']] as const) {
      const old = returnWindowClaims(await ask(language, text, '2025-09-01'), language); // six months before the contact
      expect(old.length).toBeGreaterThan(0);
      expect(old.every((w) => !w.within)).toBe(true);
      const fresh = returnWindowClaims(await ask(language, text, '2026-02-28'), language); // two days before it
      expect(fresh.length).toBeGreaterThan(0);
      expect(fresh.every((w) => w.within)).toBe(true);
    }
  });

  it('gives the same reply to the same case every time', async () => {
    const c = kase('zh', ['手机屏幕裂了，怎么修？'], { customer: customer('gold', [{ product: 'Nova X5 手机', purchased_at: '2025-06-01', warranty_months: 12 }]) });
    const first = await reply(c);
    for (let i = 0; i < 3; i++) expect((await reply(c)).text).toBe(first.text);
    const rebuilt = createLocalKbProvider({ knowledgeBase: buildKnowledgeBase(ENTRIES) });
    expect((await rebuilt.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: c, template })).text).toBe(first.text);
  });

  it("never reads the case's answer key (reference answer, human reply, labels, intent)", async () => {
    const forbidden = new Set(['reference_answer', 'human_reply', 'required_facts', 'expected_escalation', 'gold', 'intent']);
    const guard = (c: SuiteCase) =>
      new Proxy(c, {
        get(target, key, receiver) {
          if (typeof key === 'string' && forbidden.has(key)) throw new Error(`local:kb read case.${key}`);
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
    for (const c of [kase('en', ['I was charged twice this month']), kase('zh', ['我要转人工'], { customer: customer('vip') }), kase('en', ['zzz qqq'])]) {
      const result = await provider.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: guard(c), template });
      expect(result.text).not.toContain('REFERENCE ANSWER');
      expect(result.text).not.toContain('HUMAN REPLY');
    }
  });

  it('needs the case and the template', async () => {
    const error = await provider.generate({ messages: [{ role: 'user', content: 'hi' }], params: { temperature: 0, max_tokens: 400 } }).catch((e: unknown) => e);
    expect(AppError.isInstance(error) && error.code).toBe('usage');
  });
});

describe('decideHandoff', () => {
  const decide = (language: Language, text: string, tier: CustomerView['tier'] | null = 'standard', predictedIntent?: string) =>
    decideHandoff({ language, customerTurns: [text], tier, predictedIntent });

  it('recognises requests for a person in both languages', () => {
    for (const text of ['转人工', '我要人工客服', '能不能让真人来处理？', '叫你们经理来']) expect(decide('zh', text)?.reason).toBe('explicit_request');
    for (const text of ['agent', 'can I speak to a representative', 'I want a real person, not a bot', 'get me your manager']) expect(decide('en', text)?.reason).toBe('explicit_request');
    expect(decide('zh', '你们的人工智能助手挺好用')).toBeNull();
  });

  it('separates strong anger from frustration', () => {
    expect(decide('zh', '你们什么破服务！')?.reason).toBe('strong_emotion');
    expect(decide('zh', '上个月账单怎么有96元的流量费？太离谱了！')?.reason).toBe('strong_emotion');
    expect(decide('en', 'This is absolutely unacceptable')?.reason).toBe('strong_emotion');
    expect(decide('en', 'where is my parcel!!!')?.reason).toBe('strong_emotion');
    expect(decide('en', 'I want this fixed NOW.')?.reason).toBe('strong_emotion');
    expect(decide('en', 'Ugh, this is really inconvenient. Can you sort this out quickly?')).toBeNull();
    expect(decide('zh', '唉，真的有点无语，能不能尽快处理？')).toBeNull();
  });

  it('routes VIP customers to the vip queue and complaints to the complaints queue', () => {
    expect(decide('en', 'I want to file a complaint about your store')).toEqual({ reason: 'complaint', queue: 'complaints' });
    expect(decide('en', 'I want to file a complaint about your store', 'vip')).toEqual({ reason: 'complaint', queue: 'vip' });
    expect(decide('zh', '安装师傅放了我两次鸽子', 'standard', 'complaint')).toEqual({ reason: 'complaint', queue: 'complaints' });
    expect(decide('zh', '话费扣了两次', 'vip', 'billing_dispute')).toEqual({ reason: 'vip_complex', queue: 'vip' });
    expect(decide('zh', '话费扣了两次', 'gold', 'billing_dispute')).toBeNull();
    expect(decide('en', 'I already contacted you about this last week', 'vip')?.reason).toBe('vip_complex');
    expect(decide('en', 'word '.repeat(60), 'vip')?.reason).toBe('vip_complex');
  });
});
