// De-identifies a logged agent reply into a template with typed slots, and fills a template for
// another customer from that customer's own record and the policy only.
//
// A retrieval bot repeats replies written for someone else; verbatim, they carry that customer's
// order and tracking numbers, products, purchase and warranty dates, amounts and name. When the
// knowledge base is built each reply is cut into sentences and every identifier becomes a slot:
// values of the source customer's own record are recognised exactly (their order ids, the names of
// their products, their purchase and warranty-end dates, their prices, their name) and tied to that
// purchase; generic patterns catch the rest (ids, tracking numbers, dates, amounts, data volumes,
// honorific names, addresses, redaction placeholders). At answer time a tied slot takes the asking
// customer's matching purchase; an untied one is kept only when its literal value is the asker's own
// or appears in the policy. A sentence with a slot that cannot be filled is dropped (only its
// parenthesis when the slot sits inside one), never sent with someone else's value.
import type { Language, Purchase } from '../domain/dialogue.ts';
import { warrantyOn } from '../domain/warranty.ts';

export const SLOT_KINDS = [
  'order_id',
  'tracking_number',
  'reference',
  'phone',
  'product',
  'purchase_date',
  'warranty_end',
  'warranty_months',
  'price',
  'date',
  'amount',
  'quantity',
  'name',
  'address',
  'placeholder',
] as const;
export type SlotKind = (typeof SLOT_KINDS)[number];

export type DateStyle = 'zh-long' | 'zh-short' | 'iso' | 'slash' | 'en-long' | 'en-short' | 'en-dmy-long' | 'en-dmy-short';
export interface MoneyStyle {
  prefix: string;
  suffix: string;
  thousands: boolean;
  decimals: number;
}
export type ProductForm = 'full' | 'base' | 'model';

export interface Slot {
  kind: SlotKind;
  /** Tied slots: which purchase of the source record (0 = the first one the reply mentions). */
  purchase?: number;
  date?: DateStyle;
  money?: MoneyStyle;
  form?: ProductForm;
  /**
   * Untied slots only: the value as written, tested at fill time against the asker's own record
   * and the policy; it is never sent otherwise.
   */
  literal?: string;
}

export interface ReplyTemplate {
  /** The reply's sentences, in order, with slots as markers. */
  sentences: string[];
  slots: Slot[];
  /** What the tied slots refer to: the first purchase the reply mentions (null when it mentions none). */
  purchase: { category?: string; device: boolean } | null;
}

/** The source dialogue's customer: the record whose values are recognised exactly. */
export interface SourceRecord {
  name?: string | undefined;
  purchases: readonly Purchase[];
}

export interface DeidentifyOptions {
  language: Language;
  record?: SourceRecord | null | undefined;
  /** Product names the store knows (every customer's purchases): mentioned in a reply, they are slots too. */
  knownProducts?: readonly string[];
}

/** What a template is filled from: the asker's record as of the contact date, their purchase the reply is about, the policy. */
export interface FillContext {
  purchases: readonly Purchase[];
  /** The asker's purchase the tied slots take (null: tied slots cannot be filled). */
  purchase: Purchase | null;
  policy: string;
}

const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKER = /\uE000(\d+)\uE001/g;

// ---------- sentences ----------

const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'no', 'st', 'apt', 'e.g', 'i.e', 'vs', 'etc', 'inc', 'jr', 'sr']);

/** Sentences (and list lines) with their trailing punctuation and spaces; they concatenate back to the text. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const cut = (end: number) => {
    if (end > start) out.push(text.slice(start, end));
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      let j = i + 1;
      while (j < text.length && text[j] === '\n') j++;
      cut(j);
      i = j - 1;
    } else if ('。！？；'.includes(ch)) {
      let j = i + 1;
      while (j < text.length && '。！？；!?”’」』）)'.includes(text[j]!)) j++;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      cut(j);
      i = j - 1;
    } else if ('.!?'.includes(ch)) {
      let j = i + 1;
      while (j < text.length && '.!?"\')”’'.includes(text[j]!)) j++;
      if (j < text.length && !/\s/.test(text[j]!)) continue; // 3.5, e.g.x, 192.168.1.1
      if (ch === '.') {
        const word = /([A-Za-z.]+)$/.exec(text.slice(start, i))?.[1]?.toLowerCase();
        if (word !== undefined && ABBREVIATIONS.has(word)) continue;
        if (/^\s*\d{1,3}$/.test(text.slice(start, i))) continue; // "1. " of a numbered list
      }
      while (j < text.length && /\s/.test(text[j]!)) j++;
      cut(j);
      i = j - 1;
    }
  }
  cut(text.length);
  return out;
}

// ---------- dates and money ----------

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_ALT = 'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';

function monthIndex(name: string): number {
  return EN_MONTHS.findIndex((m) => m.slice(0, 3).toLowerCase() === name.slice(0, 3).toLowerCase()) + 1;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function formatDate(iso: string, style: DateStyle): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  switch (style) {
    case 'zh-long':
      return `${y}年${m}月${d}日`;
    case 'zh-short':
      return `${m}月${d}日`;
    case 'iso':
      return `${y}-${pad(m)}-${pad(d)}`;
    case 'slash':
      return `${y}/${pad(m)}/${pad(d)}`;
    case 'en-long':
      return `${EN_MONTHS[m - 1]} ${d}, ${y}`;
    case 'en-short':
      return `${EN_MONTHS[m - 1]} ${d}`;
    case 'en-dmy-long':
      return `${d} ${EN_MONTHS[m - 1]} ${y}`;
    case 'en-dmy-short':
      return `${d} ${EN_MONTHS[m - 1]}`;
  }
}

interface DateHit {
  start: number;
  end: number;
  style: DateStyle;
  /** YYYY-MM-DD, or --MM-DD when the year is not written. */
  value: string;
}

const DATE_PATTERNS: { re: RegExp; read: (m: RegExpExecArray) => { style: DateStyle; y?: number; mo: number; d: number } }[] = [
  { re: /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]/g, read: (m) => ({ style: m[1] ? 'zh-long' : 'zh-short', y: m[1] ? Number(m[1]) : undefined, mo: Number(m[2]), d: Number(m[3]) }) },
  { re: /(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)/g, read: (m) => ({ style: m[2] === '-' ? 'iso' : 'slash', y: Number(m[1]), mo: Number(m[3]), d: Number(m[4]) }) },
  {
    re: new RegExp(`\\b(${MONTH_ALT})\\.? (\\d{1,2})(?:st|nd|rd|th)?\\b(?:,? (\\d{4})\\b)?`, 'g'),
    read: (m) => ({ style: m[3] ? 'en-long' : 'en-short', y: m[3] ? Number(m[3]) : undefined, mo: monthIndex(m[1]!), d: Number(m[2]) }),
  },
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?(${MONTH_ALT})\\b(?:,? (\\d{4})\\b)?`, 'g'),
    read: (m) => ({ style: m[3] ? 'en-dmy-long' : 'en-dmy-short', y: m[3] ? Number(m[3]) : undefined, mo: monthIndex(m[2]!), d: Number(m[1]) }),
  },
];

export function findDates(text: string): DateHit[] {
  const hits: DateHit[] = [];
  for (const { re, read } of DATE_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const { style, y, mo, d } = read(m as RegExpExecArray);
      if (mo < 1 || mo > 12 || d < 1 || d > 31) continue;
      hits.push({ start: m.index, end: m.index + m[0].length, style, value: `${y === undefined ? '-' : y}-${pad(mo)}-${pad(d)}` });
    }
  }
  return hits;
}

/** Month names or numbers without a day ("3月的月租", "in November"): another customer's billing month. */
const MONTH_ONLY = [/(?<![\d个年])(?:\d{4}年)?\d{1,2}月(?!份?\d|[日号])/g, new RegExp(`\\b(?:in|since|from|during|for|of) (?:${MONTH_ALT})\\b(?: \\d{4}\\b)?`, 'g'), new RegExp(`\\b(?:${MONTH_ALT}) \\d{4}\\b`, 'g')];

const AMOUNT = /(?:US)?\$\s?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?:US)?\$\s?\d+(?:\.\d+)?|[¥￥]\s?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[¥￥]\s?\d+(?:\.\d+)?|(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?\s?(?:元|块钱|块|RMB|CNY|USD|dollars?|yuan)|(?<![\d.])\d+(?:\.\d+)?\s?(?:元|块钱|块|RMB|CNY|USD|dollars?|yuan)/g;

interface Money {
  value: number;
  currency: '$' | '¥';
  style: MoneyStyle;
}

export function readMoney(text: string): Money | undefined {
  const m = /^((?:US)?\$\s?|[¥￥]\s?)?(\d[\d,]*(?:\.(\d+))?)(\s?(?:元|块钱|块|RMB|CNY|USD|dollars?|yuan))?$/.exec(text.trim());
  if (!m) return undefined;
  const prefix = m[1] ?? '';
  const suffix = m[4] ?? '';
  const value = Number(m[2]!.replace(/,/g, ''));
  if (!Number.isFinite(value)) return undefined;
  const currency = /\$|USD|dollar/.test(prefix + suffix) ? '$' : '¥';
  return { value, currency, style: { prefix, suffix, thousands: m[2]!.includes(','), decimals: m[3]?.length ?? 0 } };
}

export function formatMoney(value: number, style: MoneyStyle): string {
  let digits = value.toFixed(style.decimals === 0 && !Number.isInteger(value) ? 2 : style.decimals);
  if (style.thousands || (style.prefix.includes('$') && value >= 1000)) {
    const [int, frac] = digits.split('.') as [string, string | undefined];
    digits = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac === undefined ? '' : `.${frac}`);
  }
  return `${style.prefix}${digits}${style.suffix}`;
}

const QUANTITY = /(?<![\d.A-Za-z])\d+(?:\.\d+)?\s?(?:GB|MB|TB)\b/g;
const normalQuantity = (text: string) => text.replace(/\s+/g, '').toUpperCase();

// ---------- products ----------

export interface ProductMention {
  text: string;
  form: ProductForm;
}

/**
 * The ways a product name is written in a reply: the full name, the name before its bracket
 * ("畅享99元套餐"), and its model ("Nova X5 Pro" of "Nova X5 Pro phone (512 GB)") with the shorter
 * model prefixes that still hold a number ("Vista 55" of 'Vista 55" 4K TV'). A bare series name
 * without a number ("Pulse Buds") names a product line, not someone's purchase, and is left alone.
 */
export function productMentions(name: string): ProductMention[] {
  const full = name.trim();
  const out: ProductMention[] = [{ text: full, form: 'full' }];
  const base = full.split(/[（(]/)[0]!.trim();
  if (base !== full && base.length >= 4) out.push({ text: base, form: 'base' });
  const tokens: string[] = [];
  for (const token of full.split(/\s+/)) {
    const m = /^[A-Za-z0-9][A-Za-z0-9"'’.+-]*/.exec(token);
    if (!m || !/^[A-Z0-9]/.test(m[0])) break;
    tokens.push(m[0]);
    if (m[0] !== token) break;
  }
  const clean = (t: string) => t.replace(/["'’.+-]+$/, '');
  for (let n = tokens.length; n >= 1; n--) {
    const text = clean(tokens.slice(0, n).join(' '));
    const numbered = /\d/.test(text) && /[A-Za-z]/.test(text);
    if (text.length < 3 || text === full || out.some((o) => o.text === text)) continue;
    if (n === tokens.length ? n >= 2 || numbered : n >= 2 && numbered) out.push({ text, form: 'model' });
  }
  return out;
}

/** The model name of a product (its longest model form), or its full name when it has none. */
function productIn(name: string, form: ProductForm): string {
  const mentions = productMentions(name);
  return (mentions.find((m) => m.form === form) ?? mentions[0]!).text;
}

// ---------- names and addresses ----------

const ZH_SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾韦夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文';
const HONORIFIC_ZH = new RegExp(`(?:欧阳|司马|诸葛|上官|[${ZH_SURNAMES}])(?:女士|先生|小姐|老师)`, 'g');
const HONORIFIC_EN = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][A-Za-z'’-]+/g;

function nameForms(name: string): string[] {
  const full = name.trim();
  if (full === '') return [];
  if (/^\p{Script=Han}{2,4}$/u.test(full)) {
    const surname = full.slice(0, full.length === 4 ? 2 : 1);
    const given = full.slice(surname.length);
    return [full, ...['女士', '先生', '小姐'].map((h) => surname + h), ...(given.length >= 2 ? [given] : [])];
  }
  const words = full.split(/\s+/).filter((w) => w.length >= 2);
  return [full, ...words];
}

const ADDRESS_ZH_STREET = /\p{Script=Han}{1,12}?(?:路|街|大道|巷|弄)(?:[东西南北]段)?\d+号[\p{Script=Han}\d-]*/gu;
const ADDRESS_ZH_DISTRICT = /\p{Script=Han}{2,3}(?:新区|区|县)/gu;
const NOT_DISTRICT = /(?:地区|社区|小区|园区|专区|景区|郊区|城区|辖区|市区|分区|服务区|保税区|开发区|风景区|售后区|[^\p{Script=Han}]区)$/u;
const ADDRESS_CONTEXT_ZH = /地址|改派|寄到|送到|收货/;
const ADDRESS_EN_STREET = /\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Place|Pl|Court|Ct)\b\.?/g;
const ADDRESS_EN_CITY = /(?<=\b(?:in|to)\s)[A-Z][a-z]+(?:\s[A-Z][a-z]+)?/g;
const ADDRESS_CONTEXT_EN = /\baddress\b|\bdeliver(?:ed|y)? to\b|\bredirect/i;

// ---------- ids ----------

const ID = /(?<![A-Za-z0-9])[A-Z]{0,4}\d[\d-]{4,}\d(?![A-Za-z0-9])/g;
const PHONE = /(?<![\w+])\+\d{1,3}[\s-]?\d[\d\s-]{6,}\d(?!\d)/g;
const PLACEHOLDER = /\[(?:PHONE|EMAIL|ID_CARD|BANK_CARD|IP|NAME|ADDRESS)\]/g;
const TRACKING_CONTEXT = /tracking|waybill|运单|快递单|物流单/i;
const ORDER_CONTEXT = /order|订单/i;

function idKind(text: string, before: string): SlotKind {
  if (/^(?:SF|JD|YT|ZTO|STO|YD|EMS|JT)\d{10,}$/.test(text) || TRACKING_CONTEXT.test(before)) return 'tracking_number';
  if (/^1[3-9]\d{9}$/.test(text)) return 'phone';
  if (ORDER_CONTEXT.test(before)) return 'order_id';
  return 'reference';
}

// ---------- de-identification ----------

interface Span {
  start: number;
  end: number;
  priority: number;
  slot: Slot;
  /** Tied spans: the index of the purchase in the source record. */
  source?: number;
}

const WARRANTY_MONTHS = [/保修期?(\d{1,3})个月/g, /(\d{1,3})个月(?:的)?保修/g, /\b(\d{1,3})-month warranty/gi, /\b(\d{1,3}) months?(?: of)? warranty/gi];

function literalSpans(text: string, literal: string, make: () => Omit<Span, 'start' | 'end'>): Span[] {
  const spans: Span[] = [];
  if (literal.length < 2) return spans;
  let from = 0;
  for (;;) {
    const at = text.indexOf(literal, from);
    if (at === -1) break;
    const before = text[at - 1] ?? '';
    const after = text[at + literal.length] ?? '';
    const wordy = /[A-Za-z0-9]/;
    if (!(wordy.test(literal[0]!) && wordy.test(before)) && !(wordy.test(literal.at(-1)!) && wordy.test(after))) spans.push({ start: at, end: at + literal.length, ...make() });
    from = at + 1;
  }
  return spans;
}

function sentenceSpans(sentence: string, options: DeidentifyOptions, lexicon: readonly { text: string; form: ProductForm; source?: number }[]): Span[] {
  const record = options.record ?? null;
  const spans: Span[] = [];
  const add = (start: number, end: number, priority: number, slot: Slot, source?: number) => spans.push({ start, end, priority, slot, ...(source === undefined ? {} : { source }) });

  // The source customer's own values, recognised exactly.
  record?.purchases.forEach((p, i) => {
    if (p.order_id && p.order_id.length >= 4) spans.push(...literalSpans(sentence, p.order_id, () => ({ priority: 6, slot: { kind: 'order_id' }, source: i })));
  });
  if (record?.name) for (const form of nameForms(record.name)) spans.push(...literalSpans(sentence, form, () => ({ priority: 6, slot: { kind: 'name' } })));
  for (const m of lexicon) spans.push(...literalSpans(sentence, m.text, () => ({ priority: 5, slot: m.source === undefined ? { kind: 'product', literal: m.text } : { kind: 'product', form: m.form }, ...(m.source === undefined ? {} : { source: m.source }) })));

  for (const m of sentence.matchAll(PLACEHOLDER)) add(m.index, m.index + m[0].length, 7, { kind: 'placeholder' });

  const tiedDate = (value: string): { kind: SlotKind; source: number } | undefined => {
    if (!record) return undefined;
    for (const [i, p] of record.purchases.entries()) {
      const end = p.warranty_months > 0 ? warrantyOn(p, p.purchased_at).expires_on : undefined;
      const same = (iso: string) => (value.startsWith('-') ? iso.slice(4) === value.slice(1) : iso === value);
      if (same(p.purchased_at)) return { kind: 'purchase_date', source: i };
      if (end !== undefined && same(end)) return { kind: 'warranty_end', source: i };
    }
    return undefined;
  };
  for (const d of findDates(sentence)) {
    const tied = tiedDate(d.value);
    if (tied) add(d.start, d.end, 5, { kind: tied.kind, date: d.style }, tied.source);
    else add(d.start, d.end, 4, { kind: 'date', literal: d.value });
  }
  for (const re of MONTH_ONLY) for (const m of sentence.matchAll(re)) add(m.index, m.index + m[0].length, 2, { kind: 'date', literal: m[0] });

  for (const m of sentence.matchAll(PHONE)) add(m.index, m.index + m[0].length, 3, { kind: 'phone', literal: m[0] });
  for (const m of sentence.matchAll(ID)) {
    const digits = m[0].replace(/\D/g, '').length;
    if (digits < 6) continue;
    add(m.index, m.index + m[0].length, 3, { kind: idKind(m[0], sentence.slice(Math.max(0, m.index - 16), m.index)), literal: m[0] });
  }

  for (const m of sentence.matchAll(AMOUNT)) {
    const text = m[0].replace(/\s+$/, '');
    const money = readMoney(text);
    if (!money) continue;
    const source = record?.purchases.findIndex((p) => p.price !== undefined && p.price === money.value) ?? -1;
    if (source >= 0) add(m.index, m.index + text.length, 4, { kind: 'price', money: money.style }, source);
    else add(m.index, m.index + text.length, 3, { kind: 'amount', literal: text });
  }
  for (const m of sentence.matchAll(QUANTITY)) add(m.index, m.index + m[0].length, 2, { kind: 'quantity', literal: m[0] });

  // As high as the record's own name forms, so "Ms. Smith" is one slot, not "Ms." and a slot.
  for (const m of sentence.matchAll(HONORIFIC_ZH)) add(m.index, m.index + m[0].length, 6, { kind: 'name' });
  for (const m of sentence.matchAll(HONORIFIC_EN)) add(m.index, m.index + m[0].length, 6, { kind: 'name' });

  for (const m of sentence.matchAll(ADDRESS_ZH_STREET)) add(m.index, m.index + m[0].length, 3, { kind: 'address' });
  for (const m of sentence.matchAll(ADDRESS_EN_STREET)) add(m.index, m.index + m[0].length, 3, { kind: 'address' });
  if (ADDRESS_CONTEXT_ZH.test(sentence)) {
    for (const m of sentence.matchAll(ADDRESS_ZH_DISTRICT)) if (!NOT_DISTRICT.test(m[0])) add(m.index, m.index + m[0].length, 1, { kind: 'address' });
  }
  if (ADDRESS_CONTEXT_EN.test(sentence)) for (const m of sentence.matchAll(ADDRESS_EN_CITY)) add(m.index, m.index + m[0].length, 1, { kind: 'address' });

  return spans;
}

/** Non-overlapping spans: higher priority first, then longer, then earlier. */
function resolve(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Span[] = [];
  for (const s of sorted) if (!kept.some((k) => s.start < k.end && k.start < s.end)) kept.push(s);
  return kept.sort((a, b) => a.start - b.start);
}

export function deidentifyReply(text: string, options: DeidentifyOptions): ReplyTemplate {
  const record = options.record ?? null;
  // Product mentions: the source's own (tied), then every other product the store knows (untied).
  const lexicon: { text: string; form: ProductForm; source?: number }[] = [];
  record?.purchases.forEach((p, i) => {
    for (const m of productMentions(p.product)) if (!lexicon.some((l) => l.text === m.text)) lexicon.push({ ...m, source: i });
  });
  for (const name of options.knownProducts ?? []) {
    for (const m of productMentions(name)) if (!lexicon.some((l) => l.text === m.text)) lexicon.push({ text: m.text, form: m.form });
  }

  const slots: Slot[] = [];
  const order: number[] = []; // source purchase indexes, in order of first mention
  const sentences: string[] = [];
  const parts = splitSentences(text).map((sentence) => ({ sentence, spans: resolve(sentenceSpans(sentence, options, lexicon)) }));
  for (const { spans } of parts) for (const s of spans) if (s.source !== undefined && !order.includes(s.source)) order.push(s.source);

  for (const { sentence, spans } of parts) {
    // Warranty months tie to the mentioned purchase with that many months; other numbers stay (policy terms).
    for (const re of WARRANTY_MONTHS) {
      for (const m of sentence.matchAll(re)) {
        const digits = m[1]!;
        const start = m.index + m[0].indexOf(digits);
        const source = order.find((i) => record?.purchases[i]?.warranty_months === Number(digits));
        if (source !== undefined && !spans.some((s) => start < s.end && s.start < start + digits.length)) spans.push({ start, end: start + digits.length, priority: 1, slot: { kind: 'warranty_months' }, source });
      }
    }
    spans.sort((a, b) => a.start - b.start);
    let out = '';
    let last = 0;
    for (const s of spans) {
      const slot: Slot = s.source === undefined ? s.slot : { ...s.slot, purchase: order.indexOf(s.source) };
      out += sentence.slice(last, s.start) + OPEN + slots.length + CLOSE;
      slots.push(slot);
      last = s.end;
    }
    sentences.push(out + sentence.slice(last));
  }
  const first = order[0] === undefined ? undefined : record?.purchases[order[0]];
  return {
    sentences,
    slots,
    purchase: first === undefined ? null : { ...(first.category === undefined ? {} : { category: first.category }), device: first.warranty_months > 0 },
  };
}

/** The template with slots shown as {kind} (tied ones as {kind#n}), for logs and tests. */
export function templateText(template: ReplyTemplate): string {
  return template.sentences.join('').replace(MARKER, (_, i: string) => {
    const slot = template.slots[Number(i)]!;
    return `{${slot.kind}${slot.purchase === undefined ? '' : `#${slot.purchase}`}}`;
  });
}

// ---------- filling ----------

interface PolicyValues {
  amounts: Set<string>;
  quantities: Set<string>;
}

const policyCache = new Map<string, PolicyValues>();

function policyValues(policy: string): PolicyValues {
  let values = policyCache.get(policy);
  if (values === undefined) {
    const amounts = new Set<string>();
    for (const m of policy.matchAll(AMOUNT)) {
      const money = readMoney(m[0]);
      if (money) amounts.add(`${money.currency}${money.value}`);
    }
    const quantities = new Set([...policy.matchAll(QUANTITY)].map((m) => normalQuantity(m[0])));
    values = { amounts, quantities };
    if (policyCache.size > 20) policyCache.clear();
    policyCache.set(policy, values);
  }
  return values;
}

/** The value a slot takes for this asker, or null when their record and the policy do not give one. */
function slotValue(slot: Slot, context: FillContext): string | null {
  const own = context.purchases;
  if (slot.purchase !== undefined) {
    const p = slot.purchase === 0 ? context.purchase : null;
    if (p === null) return null;
    switch (slot.kind) {
      case 'product':
        return productIn(p.product, slot.form ?? 'full');
      case 'order_id':
        return p.order_id ?? null;
      case 'purchase_date':
        return formatDate(p.purchased_at, slot.date ?? 'iso');
      case 'warranty_end':
        return p.warranty_months > 0 ? formatDate(warrantyOn(p, p.purchased_at).expires_on, slot.date ?? 'iso') : null;
      case 'warranty_months':
        return p.warranty_months > 0 ? String(p.warranty_months) : null;
      case 'price':
        return p.price === undefined || slot.money === undefined ? null : formatMoney(p.price, slot.money);
      default:
        return null;
    }
  }
  const literal = slot.literal;
  if (literal === undefined) return null;
  switch (slot.kind) {
    case 'product':
      return own.some((p) => productMentions(p.product).some((m) => m.text === literal)) || context.policy.includes(literal) ? literal : null;
    case 'order_id':
    case 'reference':
    case 'tracking_number':
    case 'phone':
      return own.some((p) => p.order_id === literal) ? literal : null;
    case 'date':
      return own.some((p) => p.purchased_at === literal || (p.warranty_months > 0 && warrantyOn(p, p.purchased_at).expires_on === literal)) ? literal : null;
    case 'amount': {
      const money = readMoney(literal);
      if (!money) return null;
      const inPolicy = policyValues(context.policy).amounts.has(`${money.currency}${money.value}`);
      return inPolicy || own.some((p) => p.price === money.value) ? literal : null;
    }
    case 'quantity':
      return policyValues(context.policy).quantities.has(normalQuantity(literal)) ? literal : null;
    default:
      return null;
  }
}

const PARENTHESIS = /\s?[（(][^（）()]*[）)]/g;

/**
 * The reply for this asker: every slot filled from their own record or the policy; a parenthesis
 * holding a slot that cannot be filled is removed, and a sentence still holding one is dropped.
 * Returns '' when nothing is left.
 */
export function fillReply(template: ReplyTemplate, context: FillContext): string {
  const values = template.slots.map((slot) => slotValue(slot, context));
  const unfilled = (text: string) => [...text.matchAll(MARKER)].some((m) => values[Number(m[1])] === null);
  const kept: string[] = [];
  for (const sentence of template.sentences) {
    let s = sentence.replace(PARENTHESIS, (group) => (unfilled(group) ? '' : group));
    if (unfilled(s)) continue;
    s = s.replace(MARKER, (_, i: string) => values[Number(i)]!);
    kept.push(s);
  }
  return tidy(kept.join(''));
}

function tidy(text: string): string {
  return text
    .replace(/[ \t]+([,.;:!?，。；：！？])/g, '$1')
    .replace(/([，,])\s*(?=[，,。.])/g, '')
    .replace(/^[\s，,；;]+/, '')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
