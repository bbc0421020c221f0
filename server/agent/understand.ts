// What one customer message says, in Chinese or English, by rules and small lexicons: the intent,
// and the slots an agent needs (order numbers, the kind of product, when it was bought, the problem,
// a new address, data use, yes or no). Pure: no record, no state; conversation.ts combines turns.
import type { Language } from '../domain/dialogue.ts';
import type { IssueKind } from '../tools/policy.ts';
import { tokenize } from '../text/segment.ts';

export const AGENT_INTENTS = [
  'screen_repair', 'warranty_claim', 'refund_request', 'cancel_order', 'change_address', 'delivery_delay',
  'plan_recommendation', 'billing_dispute', 'device_setup', 'complaint', 'human_request',
] as const;
export type AgentIntent = (typeof AGENT_INTENTS)[number];

export const PRODUCT_KINDS = ['phone', 'laptop', 'tablet', 'watch', 'earbuds', 'tv', 'router', 'mobile_plan'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/** How long ago the customer says they bought it, as a range of days. */
export interface DaysAgo {
  min: number;
  max: number;
}

export interface Understanding {
  intent: AgentIntent | null;
  /** Tokens shaped like order numbers (letters and 8+ characters, or long digit runs that are not phone numbers). */
  orderIds: string[];
  kinds: ProductKind[];
  /** Words that may name a model ("nova", "x5", "pro"): matched against the record's product names later. */
  words: string[];
  when: DaysAgo | null;
  problem: { kind: IssueKind; accidental: boolean } | null;
  address: string | null;
  dataGb: number | null;
  minutes: number | null;
  affirm: boolean;
  deny: boolean;
}

type Lexicon = Record<Language, RegExp>;

/** First match wins: the more specific and the more urgent intents come first. */
const INTENT_RULES: readonly (readonly [AgentIntent, Lexicon])[] = [
  ['human_request', { zh: /人工(?!智能)|真人|活人|客服经理|主管|找个人/, en: /\b(human|real person|live person|a person|agent|representative|supervisor|manager|operator)\b|not a bot/i }],
  ['complaint', { zh: /投诉|态度.{0,3}差|爱答不理|放.{0,3}鸽子|爽约|人都没来|(签收|已签收).{0,12}(没收到|没人收)|没收到.{0,8}签收|修了两次|第三次/, en: /\bcomplain|\brude\b|never showed|stood me up|(says|shows as|marked as) delivered|google it|repaired twice|third time/i }],
  ['cancel_order', { zh: /取消|拍重复|下错单|不想要了.{0,6}订单|订单.{0,12}不想要了/, en: /\bcancel|ordered .{0,20}twice|by mistake.{0,20}order/i }],
  ['change_address', { zh: /地址|搬家/, en: /\baddress\b|\bjust moved\b|\bdeliver(ed)? (it )?(to )?(my )?home\b/i }],
  ['refund_request', { zh: /退货|退款|退掉|退了|能退吗|想退|要退|把钱退/, en: /\brefund|\breturn (it|the|this|my)\b|\bsend it back\b|\bmoney back\b|\bto return\b|can i return/i }],
  ['screen_repair', { zh: /屏(幕)?.{0,8}(碎|裂|摔|坏|花|破)|(碎|裂|摔碎|摔坏).{0,4}屏/, en: /screen.{0,60}(crack|smash|broke|shatter|damag)|(crack|smash|broke|shatter)\w*.{0,20}screen/i }],
  // Asking for a better plan mentions charges ("paying overage"): that is a plan question, not a billing dispute.
  ['plan_recommendation', { zh: /套餐.{0,10}(推荐|升级|划算|便宜)|(推荐|换|升级|换个|改|降).{0,6}套餐/, en: /\b(which|what|better|cheaper|new|another) (mobile )?plan\b|switch (to a|plans?)|upgrade (my )?plan|recommend .{0,20}plan/i }],
  ['device_setup', { zh: /怎么(连|配对|投屏|设置|开通|激活|用)|如何(连|配对|投屏|设置|开通)|投屏|配对|eSIM/i, en: /\bhow (do|can|to) (i )?(pair|connect|set ?up|activate|cast|mirror|use)|\bpair(ing)?\b|\bsetup\b|\beSIM\b|\bmirror\b|\bcast\b/i }],
  ['billing_dispute', { zh: /话费|扣费|扣了|扣我|账单|月租|多扣|乱扣|漫游|流量费/, en: /\b(bill|billed|billing)\b|\bcharged\b|\bcharges?\b(?! it)|\bfee\b|\broaming\b|\boverage\b/i }],
  ['plan_recommendation', { zh: /套餐|流量|新号|手机卡|办.{0,3}卡/, en: /\bplan\b|\bdata\b|\bsim\b|\bnew line\b/i }],
  ['delivery_delay', { zh: /还没(收到|到|送到)|没收到|什么时候(能)?到|物流|快递|延误|迟迟|没更新/, en: /(hasn't|has not|still not|not yet|never) (arrived|come|been delivered|shown up)|where is my (order|parcel|package)|\btracking\b|when will .{0,30}arrive|\bdelayed?\b|\blate\b|still hasn't/i }],
  ['warranty_claim', { zh: /保修|坏了|故障|开不了机|充不进电|掉电|没声音|没有声音|没反应|失灵|对不上焦|断网|老是断|红灯|竖条纹|没画面|发烫|很烫|声音特别大|进水|维修|修一下|能修|不工作|有问题/, en: /\bwarranty\b|\bbroken\b|\bfaulty\b|won't (turn on|charge|focus|work)|stopped working|\bdrains?\b|no sound|no picture|keeps (freezing|dropping)|\brepair|\bfix(ed)?\b|doesn't work|not working|overheat|vertical lines|stays red|no internet|extremely loud|(gets|is) (very |really )?hot|has a problem|problem with (my|the)/i }],
];

// A fault word in a billing sentence ("won't charge") is not billing: checked before the intent rules.
const CHARGING_FAULT: Lexicon = { zh: /充不进电|不充电/, en: /won't charge|not charging|doesn't charge|will not charge/i };

const KIND_WORDS: Record<ProductKind, Lexicon> = {
  phone: { zh: /手机(?!号|卡)|折叠屏/, en: /\b(phone|smartphone|cellphone|handset|foldable)\b(?! number)/i },
  laptop: { zh: /笔记本|电脑/, en: /\b(laptop|notebook|computer|macbook)\b/i },
  tablet: { zh: /平板/, en: /\b(tablet|ipad)\b/i },
  watch: { zh: /手表/, en: /\b(watch|smartwatch)\b/i },
  earbuds: { zh: /耳机/, en: /\b(earbuds?|earphones?|headphones?|buds)\b/i },
  tv: { zh: /电视/, en: /\b(tv|television)\b/i },
  router: { zh: /路由器/, en: /\brouter\b/i },
  mobile_plan: { zh: /套餐/, en: /\b(mobile )?plan\b/i },
};

const PROBLEM_RULES: readonly (readonly [IssueKind, Lexicon])[] = [
  ['liquid_damage', { zh: /进水|泡水|掉水里|掉进水|洒了水|淋湿/, en: /\b(water|liquid|spilled|spill|wet|rain)\b/i }],
  ['unauthorised_repair', { zh: /拆过|拆机|自己拆|外面修|第三方|非官方/, en: /\b(opened it|took it apart|third[- ]party|repair shop|someone else repaired)\b/i }],
  ['loss_or_theft', { zh: /丢了|被偷|被盗|弄丢/, en: /\b(lost it|stolen|was lost|got lost)\b/i }],
  ['screen_damage', { zh: /屏(幕)?.{0,8}(碎|裂|摔|坏|花|破)|(碎|裂).{0,4}屏/, en: /screen.{0,60}(crack|smash|broke|shatter|damag)|(crack|smash|broke|shatter)\w*.{0,20}screen/i }],
  ['cosmetic_wear', { zh: /划痕|磨损|掉漆/, en: /\b(scratch(es|ed)?|scuff(s|ed)?|worn)\b/i }],
  ['hardware_fault', { zh: /坏了|故障|开不了机|充不进电|掉电|没声音|没有声音|没反应|失灵|对不上焦|断网|老是断|红灯|竖条纹|没画面|发烫|很烫|不工作|有问题/, en: /\bbroken\b|\bfaulty\b|won't (turn on|charge|focus|work)|stopped working|\bdrains?\b|no sound|no picture|keeps (freezing|dropping)|doesn't work|not working|overheat|vertical lines|stays red|no internet|extremely loud|(gets|is) (very |really )?hot|has a problem|\bdefect/i }],
];

const ACCIDENT: Lexicon = { zh: /摔|掉地上|掉在地上|掉了一下|碰了|砸/, en: /\b(dropped|drop|fell|fall|knocked|sat on)\b/i };

const AFFIRM: Lexicon = {
  zh: /^(好的?|可以|行|是的?|对|嗯+|要|确认|没问题|预约|安排)|好的|可以的|麻烦(你|您)了|帮我(预约|安排|修|约|办)|修吧|预约吧|就这么办|确认/,
  en: /^(yes|yeah|yep|sure|ok(ay)?|please|go ahead|sounds good|book it|do it|that works|alright)\b|\b(yes,? please|go ahead|book it|please book|let's do it)\b/i,
};
const DENY: Lexicon = { zh: /不用|不要了|算了|先不|不修了|不需要|不了/, en: /^(no|nope|nah)\b|\b(no thanks|not now|don't bother|never ?mind|not interested)\b/i };

const CN_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 半: 0.5 };
const EN_NUMBERS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, couple: 2, few: 3, half: 0.5 };

function cnNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '十') return 10;
  if (s.startsWith('十')) return 10 + (CN_DIGITS[s[1]!] ?? 0);
  if (s.length === 2 && s[1] === '十') return (CN_DIGITS[s[0]!] ?? 0) * 10;
  if (s.length === 3 && s[1] === '十') return (CN_DIGITS[s[0]!] ?? 0) * 10 + (CN_DIGITS[s[2]!] ?? 0);
  return CN_DIGITS[s] ?? null;
}

/** Days ago as the synthetic corpus and people say it: weeks and months are rounded, so each is a range. */
function range(n: number, unit: 'day' | 'week' | 'month' | 'year'): DaysAgo {
  switch (unit) {
    case 'day':
      return { min: Math.max(0, n - 1), max: n + 1 };
    case 'week':
      return { min: Math.max(0, Math.floor(7 * n - 4)), max: Math.ceil(7 * n + 4) };
    case 'month':
      return { min: Math.max(0, Math.floor(30.4 * (n - 0.5)) - 2), max: Math.ceil(30.4 * (n + 0.5)) + 2 };
    default:
      return { min: Math.max(0, Math.floor(365 * (n - 0.5))), max: Math.ceil(365 * (n + 0.5)) };
  }
}

const UNIT_ZH: Record<string, 'day' | 'week' | 'month' | 'year'> = { 天: 'day', 周: 'week', 个星期: 'week', 星期: 'week', 个礼拜: 'week', 礼拜: 'week', 个月: 'month', 月: 'month', 年: 'year' };

export function parseWhen(text: string, lang: Language, today?: string): DaysAgo | null {
  if (lang === 'zh') {
    if (/今天(买|下单|收到|到)/.test(text)) return { min: 0, max: 0 };
    if (/昨天/.test(text)) return { min: 1, max: 1 };
    if (/前天/.test(text)) return { min: 2, max: 2 };
    if (/一年多(前|以前)?/.test(text)) return { min: 335, max: 729 };
    if (/两年多(前|以前)?/.test(text)) return { min: 700, max: 1100 };
    if (/去年/.test(text)) return { min: 30, max: 730 };
    if (/上(个)?(周|星期|礼拜)/.test(text)) return { min: 4, max: 14 };
    if (/上(个)?月/.test(text)) return { min: 15, max: 62 };
    if (/半年(前|以前|多)/.test(text)) return { min: 150, max: 240 };
    const m = /([0-9一二两三四五六七八九十]+)(天|周|个星期|星期|个礼拜|礼拜|个月|年)(前|以前|之前)/.exec(text);
    if (m) {
      const n = cnNumber(m[1]!);
      if (n !== null) return range(n, UNIT_ZH[m[2]!]!);
    }
    if (/刚买|刚收到|才买|新买|刚到手/.test(text)) return { min: 0, max: 45 };
    const date = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]/.exec(text);
    if (date && today) return fromDate(date[1], date[2]!, date[3]!, today);
  } else {
    const t = text.toLowerCase();
    if (/\b(bought|ordered|got|arrived|received) (it )?today\b/.test(t)) return { min: 0, max: 0 };
    if (/\byesterday\b/.test(t)) return { min: 1, max: 1 };
    if (/\bover a year ago\b|\bmore than a year ago\b/.test(t)) return { min: 335, max: 729 };
    if (/\bover two years ago\b/.test(t)) return { min: 700, max: 1100 };
    if (/\blast week\b/.test(t)) return { min: 4, max: 14 };
    if (/\blast month\b/.test(t)) return { min: 15, max: 62 };
    if (/\blast year\b/.test(t)) return { min: 30, max: 730 };
    const m = /\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|a few|half a) (day|week|month|year)s? ago\b/.exec(t);
    if (m) {
      const word = m[1]!.replace(/^a (couple|few) of$|^a few$/, '$1').replace(/^half a$/, 'half');
      const n = /^\d+$/.test(word) ? Number(word) : EN_NUMBERS[word] ?? null;
      if (n !== null) return range(n, m[2] as 'day' | 'week' | 'month' | 'year');
    }
    if (/\bjust (bought|got|received|ordered)\b|\bbrand new\b|\brecently bought\b|\bonly (just )?bought\b/.test(t)) return { min: 0, max: 45 };
    const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(t);
    if (iso && today) return fromDate(iso[1], iso[2]!, iso[3]!, today);
    const month = /\b(?:in|on|since) (january|february|march|april|may|june|july|august|september|october|november|december)\b/.exec(t);
    if (month && today) {
      const idx = MONTHS.indexOf(month[1]!) + 1;
      const [ty, tm] = today.split('-').map(Number) as [number, number];
      const year = idx <= tm ? ty : ty - 1;
      const first = daysFrom(`${year}-${String(idx).padStart(2, '0')}-01`, today);
      const last = daysFrom(new Date(Date.UTC(year, idx, 0)).toISOString().slice(0, 10), today);
      return { min: Math.max(0, last), max: first };
    }
  }
  return null;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function daysFrom(date: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
}

function fromDate(y: string | undefined, m: string, d: string, today: string): DaysAgo | null {
  const ty = Number(today.slice(0, 4));
  let year = y === undefined ? ty : Number(y);
  let iso = `${year}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  if (y === undefined && iso > today) iso = `${(year = ty - 1)}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const days = daysFrom(iso, today);
  return Number.isFinite(days) && days >= 0 ? { min: days, max: days } : null;
}

const ORDER_ID = /(?<![A-Za-z0-9])(?:[A-Za-z]{1,4}-?\d[\dA-Za-z-]{5,}|\d{8,})(?![A-Za-z0-9])/g;

function orderIds(text: string): string[] {
  const ids: string[] = [];
  for (const m of text.matchAll(ORDER_ID)) {
    const id = m[0].toUpperCase();
    if (/^1\d{10}$/.test(id)) continue; // a mainland mobile number
    if ((id.match(/\d/g)?.length ?? 0) < 4) continue;
    ids.push(id);
  }
  return ids;
}

function address(text: string, lang: Language): string | null {
  const m =
    lang === 'zh'
      ? /(?:新(?:的)?(?:收货)?地址|地址)(?:是|为|改成|改为|改到|换成)?[：:\s]*([^，。；;！!？?\n]*?(?:路|街|道|号|室|栋|幢|楼|村|区)[^，。；;！!？?\n]*)/.exec(text) ??
        /(?:改成|改到|改为|送到)[：:\s]*([^，。；;！!？?\n]{2,}?(?:市|区|路|街)[^，。；;！!？?\n]*)/.exec(text)
      : /\bnew (?:delivery )?address(?: is)?[:\s]+(.+?)\.?\s*$/im.exec(text) ?? /\b(?:change it to|send it to|deliver it to|update it to)[:\s]+(.+?)\.?\s*$/im.exec(text);
  const value = m?.[1]?.trim();
  return value !== undefined && value.length >= 4 && /\d|[路街号室]/.test(value) ? value : null;
}

function dataGb(text: string): number | null {
  const m = /(\d+(?:\.\d+)?)\s*(?:G|GB|g|gb|个G)(?![a-z])/.exec(text);
  return m ? Number(m[1]) : null;
}

function minutes(text: string): number | null {
  const m = /(\d+)\s*(?:分钟|minutes?|mins?)\b/i.exec(text) ?? /(\d+)\s*分钟/.exec(text);
  return m ? Number(m[1]) : null;
}

const GENERIC_WORDS = new Set(['phone', 'gb', 'the', 'my', 'a', 'and', 'it', 'i', 'is', 'to', 'of', 'in', 'on', 'for', 'with', 'from', 'you', 'me', 'this', 'that', 'was', 'bought', 'laptop', 'tv', 'router', 'plan', 'screen']);

/** One message understood on its own (`today` lets dates like 3月2日 become days ago). */
export function understand(text: string, lang: Language, today?: string): Understanding {
  let intent: AgentIntent | null = null;
  for (const [name, lexicon] of INTENT_RULES) {
    if (name === 'billing_dispute' && CHARGING_FAULT[lang].test(text)) continue;
    if (name === 'plan_recommendation' && KIND_WORDS.phone[lang].test(text) && !/套餐|\bplan\b/i.test(text)) continue;
    if (lexicon[lang].test(text)) {
      intent = name;
      break;
    }
  }
  let problem: Understanding['problem'] = null;
  for (const [kind, lexicon] of PROBLEM_RULES) {
    if (kind === 'hardware_fault' && intent === 'billing_dispute') break;
    if (lexicon[lang].test(text)) {
      problem = { kind, accidental: ACCIDENT[lang].test(text) };
      break;
    }
  }
  const deny = DENY[lang].test(text.trim());
  const ids = orderIds(text);
  return {
    intent,
    orderIds: ids,
    kinds: PRODUCT_KINDS.filter((k) => KIND_WORDS[k][lang].test(text)),
    words: tokenize(text, lang).filter((w) => /[a-z0-9]/.test(w) && !GENERIC_WORDS.has(w) && !ids.includes(w.toUpperCase())),
    when: parseWhen(text, lang, today),
    problem,
    address: address(text, lang),
    dataGb: intent === 'plan_recommendation' || /流量|data/i.test(text) ? dataGb(text) : null,
    minutes: minutes(text),
    affirm: !deny && AFFIRM[lang].test(text.trim()),
    deny,
  };
}
