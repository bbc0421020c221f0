// Hand-made suite cases (Chinese and English) for the scorer tests, where the right answer is
// obvious. Built through the SuiteCase schema so a fixture that drifts from the contract fails loudly.
import { parseReply, SuiteCase, type ScoreInput } from '../domain/eval.ts';
import type { Customer, DialogueInput, Purchase, Turn } from '../domain/dialogue.ts';
import { warrantyOn } from '../domain/warranty.ts';
import { generateCorpus } from '../synthetic/index.ts';

export interface CaseSpec {
  id: string;
  language: 'zh' | 'en';
  /** Customer and agent turns before the reply; the last one is the customer's message. */
  turns: Array<[Turn['role'], string]>;
  contact_date: string;
  purchases?: Purchase[];
  tier?: 'standard' | 'silver' | 'gold' | 'vip';
  reference: string;
  facts: string[];
  expected_escalation?: boolean;
  intent?: string;
  /** No CRM profile at all. */
  no_customer?: boolean;
}

export function makeCase(spec: CaseSpec): SuiteCase {
  const history: Turn[] = spec.turns.map(([role, text]) => (role === 'tool' ? { role, text, name: 'lookup_order' } : { role, text }));
  const last = [...history].reverse().find((t) => t.role === 'customer');
  return SuiteCase.parse({
    case_id: `${spec.id}#${history.length}`,
    dialogue_id: spec.id,
    history,
    customer_message: last?.text ?? '',
    customer: spec.no_customer
      ? null
      : {
          customer_id: `c-${spec.id}`,
          tier: spec.tier ?? 'standard',
          purchases: (spec.purchases ?? []).map((p) => ({ ...p, warranty: warrantyOn(p, spec.contact_date) })),
        },
    contact_date: spec.contact_date,
    reference_answer: spec.reference,
    required_facts: spec.facts,
    expected_escalation: spec.expected_escalation ?? false,
    intent: spec.intent ?? null,
    language: spec.language,
    channel: 'web',
    human_reply: null,
    gold: { fcr: null, accuracy: null, tone: null },
  });
}

/** A ScoreInput for `raw` as the model wrote it (a [[handoff:…]] marker is parsed out). */
export function inputFor(c: SuiteCase, raw: string, extra: Partial<Omit<ScoreInput, 'case' | 'reply' | 'handoff'>> = {}): ScoreInput {
  const { answer, handoff } = parseReply(raw);
  return {
    case: c,
    reply: answer,
    handoff,
    latency_ms: extra.latency_ms ?? 1_200,
    model: extra.model ?? 'local:kb',
    ...(extra.usage ? { usage: extra.usage } : {}),
    ...(extra.actions ? { actions: extra.actions } : {}),
    ...(extra.can_act === undefined ? {} : { can_act: extra.can_act }),
    ...(extra.acts_on === undefined ? {} : { acts_on: extra.acts_on }),
  };
}

/** The same case without any turn that mentions `needle` (e.g. the order number). */
export function withoutTurnsMentioning(c: SuiteCase, needle: string): SuiteCase {
  const history = c.history.filter((t) => !t.text.includes(needle));
  const last = [...history].reverse().find((t) => t.role === 'customer');
  return { ...c, history, customer_message: last?.text ?? '' };
}

// ---------------------------------------------------------------------------------------------
// Cracked screen, bought 14 months before the contact with a 12-month warranty: out of warranty.

const PHONE_ZH: Purchase = { product: '星耀 X5 手机', purchased_at: '2025-01-10', warranty_months: 12, order_id: 'DD20250110976589', price: 3999 };

export const ZH_SCREEN_EXPIRED = makeCase({
  id: 'zh-screen-expired',
  language: 'zh',
  contact_date: '2026-03-12',
  purchases: [PHONE_ZH],
  intent: 'screen_repair',
  turns: [
    ['customer', '我的星耀X5屏幕摔碎了，去年1月在你们这买的，能免费修吗？'],
    ['agent', '您好，请问您的订单号是多少呢？'],
    ['customer', '订单号DD20250110976589'],
  ],
  reference:
    '查询到您的星耀X5手机于2025年1月10日购买，保修期12个月，已于2026年1月9日到期，目前已过保修期。屏幕可以付费维修，维修报价为699元（含原厂屏幕和工时费），确认后约3个工作日完成，需要为您预约吗？',
  facts: ['已过保修期', '维修报价', '699元'],
});

export const ZH_SCREEN_REPLIES = {
  good: '抱歉让您久等了。查询到您的星耀X5于2025年1月10日购买，12个月保修已于2026年1月9日到期，目前已过保修期。屏幕可以付费维修，维修报价699元（原厂屏幕），您可以到店或申请寄修，约3个工作日完成，需要为您预约吗？',
  /** Claims coverage for an expired purchase. */
  inWarranty: '您好，您的手机还在保修期内，可以免费维修，直接寄过来就行。',
  curt: '过保了，付费修，699元。',
  blaming: '屏幕碎了是你自己摔的，已过保修期，维修报价699元，你应该早点买碎屏险。',
  rude: '过保了就得付钱，爱修不修，不关我事。',
  /** Asks for the order number the customer already gave. */
  asksOrderAgain: '抱歉让您久等了，请您提供一下订单号，我帮您查询是否在保修期内，再为您安排维修。',
} as const;

const PHONE_EN: Purchase = { product: 'Nova X5 phone', purchased_at: '2025-01-10', warranty_months: 12, order_id: '#W4923227', price: 549 };

export const EN_SCREEN_EXPIRED = makeCase({
  id: 'en-screen-expired',
  language: 'en',
  contact_date: '2026-03-12',
  purchases: [PHONE_EN],
  intent: 'screen_repair',
  turns: [
    ['customer', 'The screen on the Nova X5 I bought from you in January last year is cracked. Can you fix it for free?'],
    ['agent', "Sure, what's the order number?"],
    ['customer', "It's #W4923227."],
  ],
  reference:
    'Your Nova X5 was purchased on January 10, 2025 with a 12-month warranty that ended on January 9, 2026, so it is now out of warranty. We can replace the screen as a paid repair: the repair quote is $99 including parts and labour, and it takes about 3 business days once you confirm. Shall I book it for you?',
  facts: ['out of warranty', 'repair quote', '$99'],
});

export const EN_SCREEN_REPLIES = {
  good: "Thanks for your patience, and I'm sorry about the screen. Your Nova X5 was bought on January 10, 2025, and its 12-month warranty ended on January 9, 2026, so it's out of warranty now. We can replace the screen as a paid repair: the repair quote is $99 with genuine parts, done in about 3 business days in store or by mail-in. Shall I book it for you?",
  inWarranty: "Good news, your phone is still under warranty, so it's a free repair. Just send it in.",
  curt: 'Out of warranty. $99.',
  blaming: "Cracked screens are your own fault. It's out of warranty, repair quote is $99. You should have bought screen insurance.",
  rude: "Out of warranty, so you pay $99. Whatever, not my problem.",
  asksOrderAgain: "I'm sorry about the screen. Could you give me your order number so I can check whether it's under warranty and book the repair?",
} as const;

// ---------------------------------------------------------------------------------------------
// Angry customer with a lost parcel: must be handed off.

export const ZH_ANGRY_LOST_PARCEL = makeCase({
  id: 'zh-angry-parcel',
  language: 'zh',
  contact_date: '2026-03-12',
  purchases: [{ product: '星耀 Pad 11 平板', purchased_at: '2026-03-05', warranty_months: 12, order_id: 'DD20260305112233', price: 2499 }],
  intent: 'complaint',
  expected_escalation: true,
  turns: [['customer', '你们什么破服务！订单DD20260305112233显示已签收，我根本没收到！！！太离谱了，我要投诉！']],
  reference: '非常抱歉给您带来这么不好的体验，我完全理解您的心情。您反馈的情况我已经登记为投诉，投诉单号TS202603120042，会有专人在24小时内联系您处理。我马上为您转接主管，由主管专门跟进处理。',
  facts: ['投诉单号', '主管'],
});

export const ZH_PARCEL_REPLIES = {
  good: '非常抱歉给您带来这么不好的体验，我完全理解您的心情。已为您登记投诉，投诉单号TS202603120042，专人会在24小时内联系您处理。我现在就为您转接主管跟进，请稍等。[[handoff:complaints]]',
  /** Polite, but keeps an angry customer with the bot. */
  noHandoff: '非常抱歉给您带来不便，请您再耐心等等，快递可能放在快递柜了，您再找找看。',
  dismissive: '显示签收了就是送到了，我们这边没办法处理。',
} as const;

export const EN_ANGRY_LOST_PARCEL = makeCase({
  id: 'en-angry-parcel',
  language: 'en',
  contact_date: '2026-03-12',
  purchases: [{ product: 'Slate Pad 11 tablet', purchased_at: '2026-03-05', warranty_months: 12, order_id: '#W5512001', price: 329 }],
  intent: 'complaint',
  expected_escalation: true,
  turns: [['customer', 'This is ridiculous!!! Order #W5512001 says delivered but I never got it. What the hell is going on? I want this fixed NOW.']],
  reference:
    "I'm really sorry, and I completely understand why you're upset. I've logged this as a formal complaint, reference TS202603120043, and a specialist will contact you within 24 hours. I'm transferring you to my supervisor, who will take this over personally.",
  facts: ['complaint', 'supervisor'],
});

export const EN_PARCEL_REPLIES = {
  good: "I'm really sorry, and I completely understand why you're upset. I've logged a formal complaint, reference TS202603120043, and a specialist will contact you within 24 hours. I'm transferring you to my supervisor now, who will take this over personally.",
  noHandoff: "I'm sorry for the trouble. Please check with your neighbours or the parcel locker, it may turn up.",
  dismissive: "If it says delivered, it was delivered. There's nothing we can do, calm down.",
} as const;

// ---------------------------------------------------------------------------------------------
// Calm delivery question: the bot should answer, not hand off.

export const EN_CALM_DELIVERY = makeCase({
  id: 'en-calm-delivery',
  language: 'en',
  contact_date: '2026-03-12',
  purchases: [{ product: 'Pulse Buds Pro', purchased_at: '2026-03-08', warranty_months: 12, order_id: '#W6600123', price: 129 }],
  intent: 'delivery_delay',
  turns: [
    ['customer', 'Hi, my order #W6600123 has not arrived yet. Could you check where it is? Thanks.'],
    ['tool', '{"order_id":"#W6600123","tracking_no":"SF1234567890123","estimated_delivery":"2026-03-14"}'],
  ],
  reference: 'Your order #W6600123 is with SF Express, tracking number SF1234567890123, and should arrive by March 14. I have asked the courier to prioritise it.',
  facts: ['SF1234567890123', 'March 14'],
});

export const EN_DELIVERY_REPLIES = {
  good: "Thanks for checking in! Your order #W6600123 is with SF Express (tracking number SF1234567890123) and should arrive by March 14. I've asked the courier to prioritise it.",
  needlessHandoff: "Let me transfer you to a human agent who can look into this for you. [[handoff:human]]",
  wrongDate: "Thanks for checking in! Your order #W6600123 is with SF Express (tracking number SF1234567890123) and should arrive by March 20. I've asked the courier to prioritise it.",
} as const;

// ---------------------------------------------------------------------------------------------
// Return within 7 days (no reason needed).

export const ZH_RETURN_7_DAYS = makeCase({
  id: 'zh-return-7',
  language: 'zh',
  contact_date: '2026-03-12',
  purchases: [{ product: 'Pulse Buds Pro 耳机', purchased_at: '2026-03-09', warranty_months: 12, order_id: 'DD20260309445566', price: 899 }],
  intent: 'refund_request',
  turns: [['customer', '三天前买的耳机不太合适，订单号DD20260309445566，想退货。我手机号13812345678。']],
  reference:
    '您的订单DD20260309445566于2026年3月9日购买，未超过7天，支持7天无理由退货。请保持商品、配件和包装完好，在订单页点击“申请退货”，快递免费上门取件，我们收到退货后1-3个工作日内将899元原路退回。',
  facts: ['7天无理由退货', '原路退回'],
});

export const ZH_RETURN_REPLIES = {
  good: '好的，您的耳机是3月9日买的，还在7天内，支持7天无理由退货。请保持包装完好，在订单页申请退货，快递免费上门取件，收到后899元会原路退回。',
  wrongWindow: '好的，我们支持15天无理由退货，您在订单页申请退货就行，钱会原路退回。',
  refuses: '不好意思，商品拆封后就不支持无理由退货了。',
  leaksPhone: '好的，支持7天无理由退货，已为您登记，取件员会联系您的手机13812345678，钱会原路退回。',
  maskedPhone: '好的，支持7天无理由退货，已为您登记，取件员会联系您的手机[PHONE]，钱会原路退回。',
  guarantee: '好的，支持7天无理由退货，我保证全额退款，百分之百没问题，钱会原路退回。',
  compensation: '好的，支持7天无理由退货，钱会原路退回，另外再补偿您50元优惠券。',
  callback: '好的，支持7天无理由退货，客服会在30分钟内给您回电确认，钱会原路退回。',
} as const;

// ---------------------------------------------------------------------------------------------
// Outside every return window: no refund, but still under warranty.

export const EN_REFUND_OUTSIDE = makeCase({
  id: 'en-refund-outside',
  language: 'en',
  contact_date: '2026-03-12',
  purchases: [{ product: 'Aero 14 laptop', purchased_at: '2025-11-02', warranty_months: 24, order_id: '#W7000456', price: 999 }],
  intent: 'refund_request',
  turns: [['customer', "I bought the Aero 14 in November (order #W7000456) and don't need it any more. Can I get a refund?"]],
  reference:
    "Your Aero 14 was purchased on November 2, 2025, which is past both the 7-day no-reason return window and the 30-day defect return period, so unfortunately it is not eligible for a refund. If anything goes wrong with it, it is under warranty and we'll repair it for free.",
  facts: ['not eligible for a refund'],
});

export const EN_REFUND_REPLIES = {
  good: "I'm sorry, but the Aero 14 was bought on November 2, 2025, so it's outside the return period and not eligible for a refund. It's still under warranty, so any fault will be repaired free of charge.",
  promisesRefund: "Sure, I've processed a refund for you. It'll arrive within 3 days, 100% guaranteed.",
} as const;

/** What the synthetic generator records about a dialogue's last agent reply. */
export interface SyntheticMeta {
  agent_quality: string;
  reference_answer: string;
  required_facts: string[];
  expected_escalation: boolean;
}

/**
 * Suite cases from the seeded synthetic corpus: each dialogue's history up to its last agent turn,
 * the customer's record with warranties as of the contact date, the generator's reference answer,
 * facts and expected escalation; `reply` is that last agent turn. `humanReply` puts it in the case too.
 */
export function* syntheticCases(options: { n: number; seed: number; humanReply: boolean }): Generator<{ dialogue: DialogueInput; meta: SyntheticMeta; case: SuiteCase; reply: string }> {
  const customers = new Map<string, Customer>();
  for (const item of generateCorpus({ n: options.n, seed: options.seed })) {
    if (item.kind === 'customer') {
      customers.set(item.customer.customer_id, item.customer);
      continue;
    }
    const d = item.dialogue;
    const meta = d.metadata as unknown as SyntheticMeta;
    const last = d.turns.map((t) => t.role).lastIndexOf('agent');
    const history = d.turns.slice(0, last);
    const contact = d.started_at!.slice(0, 10);
    const customer = customers.get(d.customer_id!);
    const reply = d.turns[last]!.text;
    const c: SuiteCase = {
      case_id: `${d.id}#${last}`,
      dialogue_id: d.id,
      history,
      customer_message: [...history].reverse().find((t) => t.role === 'customer')?.text ?? '',
      customer: customer ? { ...customer, purchases: customer.purchases.map((p) => ({ ...p, warranty: warrantyOn(p, contact) })) } : null,
      contact_date: contact,
      reference_answer: meta.reference_answer,
      required_facts: meta.required_facts,
      expected_escalation: meta.expected_escalation,
      intent: null,
      language: d.language ?? 'en',
      channel: d.channel ?? 'unknown',
      human_reply: options.humanReply ? reply : null,
      gold: { fcr: null, accuracy: null, tone: null },
    };
    yield { dialogue: d, meta, case: c, reply };
  }
}
