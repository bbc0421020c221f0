// What an agent's reply asks the customer for (order number, which item, address, data use, yes/no
// to an offer, …), whether it confirms a goal, and what the customer has already given. The offline
// simulator answers and gets upset from these; the judge counts repeated asks with the same rules.
import type { Language } from '../domain/dialogue.ts';
import { HANDOFF_MARKER } from '../domain/eval.ts';
import type { CustomerKnows, GoalOutcome } from '../scenarios/scenario.ts';

export const SLOTS = ['order_id', 'which', 'bought', 'problem', 'address', 'data', 'minutes', 'phone', 'confirm'] as const;
export type Slot = (typeof SLOTS)[number];

type Lexicon = Record<Language, RegExp>;

const ASKS: Record<Slot, Lexicon> = {
  order_id: { zh: /订单号|订单编号|哪(一)?笔订单|哪个订单/, en: /order (number|no\.?|id)|which order/i },
  which: { zh: /哪(一|个)?(台|部|个|笔|款|件)|什么(型号|产品|设备|商品)/, en: /which (one|device|phone|product|model|item|laptop|tablet|watch)|what (model|product|device)/i },
  bought: { zh: /什么时候买|购买(日期|时间)|哪天买|何时购买/, en: /when did you (buy|purchase|order)|purchase date|when was it (bought|purchased)/i },
  problem: { zh: /什么问题|具体.{0,4}(情况|说说|描述)|发生了什么|遇到了什么/, en: /what('s| has)? happened|tell me (a bit )?more|describe|what('s| is) (wrong|the problem)/i },
  address: { zh: /地址/, en: /address/i },
  data: { zh: /流量|多少\s*G/, en: /how much data|how many gb|data .{0,30}(a|per|each) month/i },
  minutes: { zh: /通话.{0,10}(多少|分钟)|多少分钟/, en: /how many minutes|minutes of calls/i },
  phone: { zh: /手机号|电话号码|联系电话/, en: /phone number|mobile number|number on the account/i },
  confirm: {
    zh: /需要.{0,12}(预约|安排|办理|维修|帮您).{0,8}吗|要不要|是否需要|可以吗|确认.{0,6}吗/,
    en: /\b(shall|should) i\b|would you like|do you want (me )?to|want me to|is that ok|okay\?/i,
  },
};

/** Sentences that ask something: a question mark, or a request (请/麻烦/please/could you). */
export function questionSentences(text: string, lang: Language): string[] {
  const clean = text.replace(new RegExp(HANDOFF_MARKER.source, 'gi'), '');
  const sentences = lang === 'zh' ? clean.split(/(?<=[。！？!?\n])/) : clean.split(/(?<=[.!?\n])\s+/);
  return sentences.map((s) => s.trim()).filter((s) => s !== '' && (/[?？]\s*$/.test(s) || (lang === 'zh' ? /请|麻烦/.test(s) : /\b(please|could you|can you)\b/i.test(s))));
}

/** The slots an agent reply asks for (its question sentences only). */
export function slotsAsked(text: string, lang: Language): Slot[] {
  const asked = new Set<Slot>();
  for (const sentence of questionSentences(text, lang)) {
    for (const slot of SLOTS) if (ASKS[slot][lang].test(sentence)) asked.add(slot);
  }
  // "Which order number" is one question; a plan question mentions data, not an address.
  if (asked.has('order_id')) asked.delete('which');
  return [...asked];
}

export function asksSomething(text: string, lang: Language): boolean {
  return questionSentences(text, lang).length > 0;
}

const CONFIRMS: Record<GoalOutcome, Lexicon | null> = {
  repair_ticket: { zh: /维修单|RT\d{8}-\d+/, en: /repair ticket|RT\d{8}-\d+/i },
  paid_repair: { zh: /维修单|RT\d{8}-\d+/, en: /repair ticket|RT\d{8}-\d+/i },
  repair_declined: { zh: /先不预约|不预约|随时联系/, en: /won't book|whenever you'd like/i },
  return: { zh: /退货申请|RR\d{8}-\d+/, en: /opened return|return (request )?RR|RR\d{8}-\d+/i },
  refund_refused: { zh: /无法(办理)?.{0,4}退款|不能退款|不支持.{0,6}退/, en: /not eligible for a|can(no|')t (be )?refund|past (both )?the .{0,40}window/i },
  cancelled: { zh: /已(为您)?取消/, en: /cancelled it|has been cancelled|i've cancelled/i },
  cancel_refused: { zh: /无法(直接)?取消|拒收/, en: /can('|no)t be cancelled|refuse the delivery/i },
  address_changed: { zh: /修改收货地址|地址已(修改|更新)|已为您修改/, en: /updated the delivery address|address (has been|is) (updated|changed)/i },
  address_refused: { zh: /改派|无法(直接)?修改地址/, en: /redirect|can('|no)t be changed/i },
  plan_recommended: { zh: /推荐/, en: /recommend/i },
  human_handoff: { zh: /转接|转人工|人工客服|专人|同事/, en: /transfer|colleague|specialist|a person|human agent/i },
  information: null,
};

/** Whether the reply tells the customer their goal is settled (the offline customer then says thanks and stops). */
export function confirmsGoal(text: string, lang: Language, outcome: GoalOutcome): boolean {
  if (outcome === 'human_handoff' && HANDOFF_MARKER.test(text)) return true;
  const cue = CONFIRMS[outcome];
  if (cue === null) return text.trim() !== '' && !asksSomething(text, lang);
  // Only statements confirm: "to recommend the right plan, how much data do you use?" does not.
  const sentences = lang === 'zh' ? text.split(/(?<=[。！？!?\n])/) : text.split(/(?<=[.!?\n])\s+/);
  return cue[lang].test(sentences.filter((s) => !/[?？]\s*$/.test(s.trim())).join(' '));
}

const includes = (text: string, value: string | undefined) => value !== undefined && value.trim() !== '' && text.toLowerCase().includes(value.trim().toLowerCase());

/** The slots a customer message gives, judged against what the customer knows. */
export function slotsGiven(text: string, knows: CustomerKnows): Slot[] {
  const given: Slot[] = [];
  if (includes(text, knows.order_id)) given.push('order_id', 'which');
  if (includes(text, knows.bought)) given.push('bought');
  if (includes(text, knows.problem)) given.push('problem');
  if (includes(text, knows.new_address)) given.push('address');
  if (knows.data_gb !== undefined && new RegExp(`(?<![\\d.])${knows.data_gb}\\s*(G|GB|个G)`, 'i').test(text)) given.push('data');
  if (knows.minutes !== undefined && new RegExp(`(?<![\\d.])${knows.minutes}\\s*(分钟|minutes?)`, 'i').test(text)) given.push('minutes');
  if (includes(text, knows.phone)) given.push('phone');
  return given;
}

/**
 * How many of an agent reply's asks were for something the customer had already given (`given`:
 * slots from earlier customer messages; a yes/no already answered counts as given too).
 */
export function repeatedAsks(agentText: string, lang: Language, given: ReadonlySet<Slot>): Slot[] {
  return slotsAsked(agentText, lang).filter((slot) => given.has(slot));
}
