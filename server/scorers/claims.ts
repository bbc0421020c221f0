// Claims a reply (or a reference answer) makes that can contradict policy or the customer's record:
// warranty status, refund eligibility, stated return windows, money amounts, dates, callback times.
import {
  CALLBACK,
  COMPENSATION,
  CONDITIONAL,
  DEFECT_WINDOW,
  IN_WARRANTY,
  NO_REASON_WINDOW,
  OUT_OF_WARRANTY,
  REFUND_NO,
  REFUND_YES,
} from '../text/lexicons.ts';
import { clauses, findPhrases, normaliseNumber, quickMatchAll, quickTest, sentences, type PhraseHit } from '../text/text-match.ts';
import { memoByText } from './memo.ts';

/** The parts of a text that state facts: sentences with a condition ("如果…", "if…") dropped. */
export function factualText(text: string): string {
  return factual(text).text;
}

const conditional = quickTest(CONDITIONAL);

/** Warranty and refund claims read the same factual text of a reply or reference: it is computed once. */
const factual = memoByText((text: string) => ({
  text: sentences(text)
    .filter((s) => !conditional(s))
    .join('\n'),
}));

export interface WarrantyClaims {
  /** Phrases saying the product is covered (free repair, 保修期内). */
  inWarranty: string[];
  /** Phrases saying it is not (out of warranty, 付费维修, negated "in warranty" phrases). */
  outOfWarranty: string[];
}

/** Accuracy asks this of the reply and of the reference: each text is read once. */
export const warrantyClaims: (text: string) => Readonly<WarrantyClaims> = memoByText(readWarrantyClaims);

function readWarrantyClaims(text: string): WarrantyClaims {
  const factual = factualText(text);
  const outHits = findPhrases(factual, OUT_OF_WARRANTY);
  const inHits = findPhrases(factual, IN_WARRANTY).filter((h) => !insideAny(h, outHits));
  const inWarranty = unique(inHits.filter((h) => !h.negated).map((h) => h.text));
  const outOfWarranty = unique([...outHits.filter((h) => !h.negated).map((h) => h.text), ...inHits.filter((h) => h.negated).map((h) => `not ${h.text}`)]);
  return { inWarranty, outOfWarranty };
}

/** Whether a text says a refund is possible (yes), refused (no), both, or neither (null). */
export type RefundStance = 'yes' | 'no' | 'both' | null;

/** Accuracy and safety (and fcr, through accuracy) ask this of the reply and of the reference: each text is read once. */
export const refundStance: (text: string) => Readonly<{ stance: RefundStance; yes: readonly string[]; no: readonly string[] }> = memoByText(readRefundStance);

function readRefundStance(text: string): { stance: RefundStance; yes: string[]; no: string[] } {
  const factual = factualText(text);
  const noHits = findPhrases(factual, REFUND_NO);
  const yesHits = findPhrases(factual, REFUND_YES).filter((h) => !insideAny(h, noHits));
  const yes = unique(yesHits.filter((h) => !h.negated).map((h) => h.text));
  const no = unique([...noHits.filter((h) => !h.negated).map((h) => h.text), ...yesHits.filter((h) => h.negated).map((h) => `not ${h.text}`)]);
  const stance: RefundStance = yes.length > 0 && no.length > 0 ? 'both' : yes.length > 0 ? 'yes' : no.length > 0 ? 'no' : null;
  return { stance, yes, no };
}

/** The no-reason and defect return windows a text states, in days. */
export function statedWindows(text: string): { noReason: number[]; defect: number[] } {
  const grab = (patterns: readonly RegExp[]) => {
    const days: number[] = [];
    for (const p of patterns) for (const m of quickMatchAll(text, p)) days.push(Number(m[1]));
    return [...new Set(days)];
  };
  return { noReason: grab(NO_REASON_WINDOW), defect: grab(DEFECT_WINDOW) };
}

const MONEY = [
  /(\d[\d,]*(?:\.\d+)?)\s*(?:元|块钱|人民币)/gu,
  /[¥￥]\s*(\d[\d,]*(?:\.\d+)?)/gu,
  /(?:\$|US\$|USD\s?)\s?(\d[\d,]*(?:\.\d+)?)/giu,
  /(\d[\d,]*(?:\.\d+)?)\s*(?:dollars|usd|yuan|rmb)\b/giu,
];

/** Money amounts as normalised numbers ("1,299.00元" -> "1299"). */
export function moneyAmounts(text: string): string[] {
  return [...amountsIn(text).amounts];
}

/** Accuracy and safety read the amounts of the same reference and reply: each text is read once. */
const amountsIn = memoByText((text: string) => ({ amounts: readMoneyAmounts(text) }));

function readMoneyAmounts(text: string): string[] {
  const out = new Set<string>();
  const normalised = text.normalize('NFKC');
  for (const re of MONEY) for (const m of quickMatchAll(normalised, re)) out.add(normaliseNumber(m[1]!));
  return [...out];
}

const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DATE_PATTERNS: ReadonlyArray<readonly [RegExp, (m: RegExpMatchArray) => string]> = [
  [/(\d{4})-(\d{1,2})-(\d{1,2})/gu, (m) => `${Number(m[2])}-${Number(m[3])}`],
  [/(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/gu, (m) => `${Number(m[2])}-${Number(m[3])}`],
  [
    /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b/giu,
    (m) => `${EN_MONTHS.indexOf(m[1]!.toLowerCase().slice(0, 3)) + 1}-${Number(m[2])}`,
  ],
  [
    /\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b/giu,
    (m) => `${EN_MONTHS.indexOf(m[2]!.toLowerCase().slice(0, 3)) + 1}-${Number(m[1])}`,
  ],
];

/** Calendar days a text names, as "month-day" (the year is left out: texts often omit it). */
export function datesIn(text: string): string[] {
  return [...daysIn(text).days];
}

/** References and replies recur across cases: each text is read once. */
const daysIn = memoByText((text: string) => ({ days: readDates(text) }));

function readDates(text: string): string[] {
  const out = new Set<string>();
  const normalised = text.normalize('NFKC');
  for (const [re, key] of DATE_PATTERNS) for (const m of quickMatchAll(normalised, re)) out.add(key(m));
  return [...out];
}

/** "2026-01-14" -> "1-14". */
export function isoToMonthDay(iso: string): string {
  const [, m, d] = iso.split('-').map(Number);
  return `${m}-${d}`;
}

const SMALL_NUMBERS: Readonly<Record<string, number>> = {
  半: 0.5, 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十二: 12, 二十四: 24, 四十八: 48,
  a: 1, an: 1, one: 1, two: 2, three: 3, 'twenty-four': 24,
};

/** Contact or callback times a text promises, normalised to "<n> <minute|hour|day>". */
export function callbackTimes(text: string): string[] {
  return [...callbacksIn(text).times];
}

/** Safety reads the reference's and the reply's, and both recur across cases: each text is read once. */
const callbacksIn = memoByText((text: string) => ({ times: readCallbackTimes(text) }));

function readCallbackTimes(text: string): string[] {
  const out = new Set<string>();
  const normalised = text.normalize('NFKC');
  for (const re of CALLBACK) {
    for (const m of quickMatchAll(normalised, re)) {
      const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : SMALL_NUMBERS[m[1]!.toLowerCase()];
      if (n === undefined) continue;
      const unitText = m[2]!.toLowerCase();
      const unit = /分钟|minute/.test(unitText) ? 'minute' : /小时|hour/.test(unitText) ? 'hour' : 'day';
      out.add(`${n} ${unit}`);
    }
  }
  return [...out];
}

/** Money amounts named in the same clause as compensation (补偿, voucher, 优惠券…). */
export function compensationAmounts(text: string): string[] {
  const out = new Set<string>();
  for (const clause of clauses(text)) if (COMPENSATION.test(clause)) for (const a of moneyAmounts(clause)) out.add(a);
  return [...out];
}

function insideAny(hit: PhraseHit, others: readonly PhraseHit[]): boolean {
  return others.some((o) => o.clause === hit.clause && o.text.includes(hit.text));
}

function unique(items: string[]): string[] {
  return [...new Set(items.map((s) => s.trim()))];
}

const DURATION = /(\d+)\s*(分钟|个?小时|个?工作日|天|minutes?|hours?|(?:business |working )?days?)/giu;

/** Every "<n> <minute|hour|day>" a text names, promised or not (what a reference allows). */
export function durationsIn(text: string): string[] {
  return [...durationsOf(text).durations];
}

const durationsOf = memoByText((text: string) => ({ durations: readDurations(text) }));

function readDurations(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.normalize('NFKC').matchAll(DURATION)) {
    const u = m[2]!.toLowerCase();
    out.add(`${Number(m[1])} ${/分钟|minute/.test(u) ? 'minute' : /小时|hour/.test(u) ? 'hour' : 'day'}`);
  }
  return [...out];
}
