// local:kb, the embedded offline FAQ bot: BM25 retrieval over answers from resolved training
// dialogues, with the template's greeting, sign-off and hand-off rules applied as fixed checks.
// It is the classic baseline a team replaces with a model, and it runs with no key and no network.
// Stored answers are de-identified into slot templates (reply-slots.ts) and filled from the asking
// customer's own record and the policy: a reply never carries another customer's data. It takes no
// action, so it never sends an answer that says one was taken ("I've refunded…", "已为您取消订单"),
// nor one that contradicts the asking customer's record: it hands off instead.
import type { CustomerView } from '../domain/api.ts';
import { customerViewAsOf } from '../domain/customer-view.ts';
import type { Language } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import { HANDOFF_MARKER, type GenerateRequest, type GenerateResult, type PromptTemplate, type Provider, type SuiteCase } from '../domain/eval.ts';
import { warrantyOn } from '../domain/warranty.ts';
import { actionClaims } from '../text/action-claims.ts';
import { characterBigrams, tokenize } from '../text/segment.ts';
import { abortedError } from './provider-error.ts';
import { deidentifyReply, fillReply, type ReplyTemplate, type SourceRecord } from './reply-slots.ts';

export const LOCAL_KB_ID = 'local:kb';

/** One FAQ entry: what a customer said and the reply that resolved it. */
export interface KbEntry {
  id: string;
  language: Language;
  intent?: string;
  /** The customer's side (all their messages of the dialogue, or one question). */
  question: string;
  /** The agent's or the reference reply, as logged: only searched and read for its warranty claim, never sent. */
  answer: string;
  /**
   * The answer de-identified against its own customer's record (knowledge-base-source does this);
   * when absent, buildKnowledgeBase de-identifies it with the generic patterns alone.
   */
  reply?: ReplyTemplate;
}

/** An entry as read from the store: its customer's record in place of the de-identified reply. */
export interface KbSourceEntry extends Omit<KbEntry, 'reply'> {
  /** The source dialogue's customer (name and purchases), null when it has none. */
  record: SourceRecord | null;
}

/** De-identifies each answer against its own customer's record and every product name the store knows. */
export function deidentifyEntries(entries: readonly KbSourceEntry[], knownProducts: readonly string[]): KbEntry[] {
  return entries.map(({ record, ...e }) => ({ ...e, reply: deidentifyReply(e.answer, { language: e.language, record, knownProducts }) }));
}

export interface KbHit {
  entry: KbEntry;
  /** The entry's answer as a slot template: what is sent, once filled for the asker. */
  reply: ReplyTemplate;
  /** Raw BM25 score. */
  score: number;
  /**
   * The score over the query's own weight (the sum of its terms' idf): roughly the share of the query
   * the entry matches, comparable across queries; about 1 for an entry that repeats the query.
   */
  match: number;
}

export interface KnowledgeBase {
  readonly size: number;
  /** The k best entries of that language (5 by default), best first; entries sharing no term are left out. */
  search(text: string, language: Language, k?: number): KbHit[];
}

const K1 = 1.2;
const B = 0.75;

export interface KnowledgeBaseOptions {
  /** Product names the store knows, recognised in entries that carry no `reply` of their own. */
  knownProducts?: readonly string[];
}

/** Builds one BM25 index per language. Entries keep their order: ties rank the earlier entry first. */
export function buildKnowledgeBase(entries: readonly KbEntry[], options: KnowledgeBaseOptions = {}): KnowledgeBase {
  const indexes = new Map<Language, Bm25Index>();
  for (const entry of entries) {
    let index = indexes.get(entry.language);
    if (index === undefined) indexes.set(entry.language, (index = new Bm25Index()));
    const reply = entry.reply ?? deidentifyReply(entry.answer, { language: entry.language, knownProducts: options.knownProducts ?? [] });
    index.add(entry, reply, retrievalTerms(entry.question, entry.language));
  }
  for (const index of indexes.values()) index.freeze();
  return {
    size: entries.length,
    search(text, language, k = 5) {
      const index = indexes.get(language);
      return index === undefined ? [] : index.search(new Set(retrievalTerms(text, language)), k);
    },
  };
}

/**
 * Postings are packed into typed arrays when frozen, and a search scores into one reused array and
 * keeps the k best in a small sorted buffer, so a query costs a pass over its terms' postings and
 * no allocation per matching entry. Scores are computed with the same arithmetic, in the same
 * order, as a plain map of sums would: the ranking and the `match` shares are those of plain BM25.
 */
class Bm25Index {
  private readonly entries: KbEntry[] = [];
  private readonly replies: ReplyTemplate[] = [];
  private readonly lengths: number[] = [];
  private building: Map<string, { docs: number[]; tfs: number[] }> | null = new Map();
  /** Per term: the entries holding it (ascending), each with its term frequency and BM25 length norm. */
  private readonly postings = new Map<string, { docs: Int32Array; tfs: Float64Array; norms: Float64Array }>();
  private scores = new Float64Array(0);
  private seen = new Uint8Array(0);
  private touched = new Int32Array(0);

  add(entry: KbEntry, reply: ReplyTemplate, terms: readonly string[]): void {
    const building = this.building;
    if (building === null) throw new Error('the index is frozen');
    const doc = this.entries.length;
    this.entries.push(entry);
    this.replies.push(reply);
    this.lengths.push(terms.length);
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      let list = building.get(term);
      if (list === undefined) building.set(term, (list = { docs: [], tfs: [] }));
      list.docs.push(doc);
      list.tfs.push(tf);
    }
  }

  freeze(): void {
    const total = this.lengths.reduce((sum, n) => sum + n, 0);
    const averageLength = Math.max(1, total / Math.max(1, this.lengths.length));
    for (const [term, { docs, tfs }] of this.building ?? []) {
      const norms = new Float64Array(docs.length);
      for (let i = 0; i < docs.length; i++) norms[i] = tfs[i]! + K1 * (1 - B + (B * (this.lengths[docs[i]!] ?? 0)) / averageLength);
      this.postings.set(term, { docs: Int32Array.from(docs), tfs: Float64Array.from(tfs), norms });
    }
    this.building = null;
    const n = this.entries.length;
    this.scores = new Float64Array(n);
    this.seen = new Uint8Array(n);
    this.touched = new Int32Array(n);
  }

  /** Lucene's idf: never negative, so a term in most entries still counts a little. */
  private idf(df: number): number {
    const n = this.entries.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Query terms count once each: a word the customer repeats is not more relevant. */
  search(query: ReadonlySet<string>, k: number): KbHit[] {
    const { scores, seen, touched } = this;
    let count = 0;
    let queryWeight = 0;
    for (const term of query) {
      const list = this.postings.get(term);
      const idf = this.idf(list?.docs.length ?? 0);
      queryWeight += idf;
      if (list === undefined) continue;
      const { docs, tfs, norms } = list;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        const tf = tfs[i]!;
        if (seen[doc] === 0) {
          seen[doc] = 1;
          scores[doc] = 0;
          touched[count++] = doc;
        }
        scores[doc] = scores[doc]! + (idf * tf * (K1 + 1)) / norms[i]!;
      }
    }
    // The k best, best first; equal scores rank the earlier entry first.
    const size = Math.max(0, k);
    const best: number[] = [];
    for (let i = 0; i < count; i++) {
      const doc = touched[i]!;
      seen[doc] = 0;
      if (size === 0) continue;
      const score = scores[doc]!;
      if (best.length === size) {
        const last = best[size - 1]!;
        if (score < scores[last]! || (score === scores[last]! && doc > last)) continue;
        best.pop();
      }
      let at = best.length;
      while (at > 0 && (scores[best[at - 1]!]! < score || (scores[best[at - 1]!]! === score && best[at - 1]! > doc))) at--;
      best.splice(at, 0, doc);
    }
    return best.map((doc) => {
      const score = scores[doc]!;
      return { entry: this.entries[doc]!, reply: this.replies[doc]!, score, match: queryWeight > 0 ? score / queryWeight : 0 };
    });
  }
}

// Words that say nothing about what the customer wants; idf would shrink them anyway, but in a small
// knowledge base they still add noise to the match share.
const STOP = new Set([
  ...'a an the i me my mine you your we our us it its is are was were be been am do does did to of in on at for with and or but so this that these those have has had can could would will just please hi hello hey thanks thank there here also about from as if myself yes ok okay'.split(' '),
  ...'的 了 吗 呢 吧 啊 呀 嘛 我 你 您 他 她 它 是 在 有 和 就 都 也 还 把 被 这 那 个 一 好 请 问 一下 你好 您好 谢谢 麻烦 请问 哦 嗯 呃'.split(' '),
]);

/**
 * The terms a text is indexed and searched by: words (English lightly stemmed, so "charged" meets
 * "charge"), plus for Chinese the overlapping character bigrams, which survive segmentation that
 * differs between a question and its paraphrase. Ids and long numbers (orders, phones) are dropped:
 * they never recur across customers.
 */
export function retrievalTerms(text: string, language: Language): string[] {
  const terms: string[] = [];
  for (const token of tokenize(text, language)) {
    const term = /^[a-z]/.test(token) ? stem(token) : token;
    if (!STOP.has(term) && !/\d{5,}/.test(term)) terms.push(term);
  }
  if (language === 'zh') for (const gram of characterBigrams(text)) if (!STOP.has(gram)) terms.push(`~${gram}`);
  return terms;
}

function stem(word: string): string {
  let w = word.replace(/'s$/, '');
  if (w.length > 4) {
    if (w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
    else if (w.endsWith('ing')) w = w.slice(0, -3);
    else if (w.endsWith('ed')) w = w.slice(0, -2);
    else if (w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  }
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

// ---------- hand-off rules ----------

export type HandoffReason = 'explicit_request' | 'strong_emotion' | 'complaint' | 'vip_complex';

/** Asking for a person; "人工" but not "人工智能". */
const HUMAN_REQUEST: Record<Language, RegExp> = {
  zh: /人工(?!智能)|真人|活人|主管|经理|领导/,
  en: /\b(human|real person|live person|actual person|a person|agent|representative|manager|supervisor|operator)\b|\bnot a (bot|robot|machine)\b/i,
};

/** Strong anger, not mere frustration ("唉", "ugh" and "really inconvenient" stay with the bot). */
const ANGER: Record<Language, RegExp> = {
  zh: /破服务|什么破|离谱[了啦]?[!！]|垃圾|受够|气死|骗子|欺诈|坑人|坑爹|给我个说法|管不管|曝光|12315|消协|律师|起诉|恶心|太差劲|忍无可忍|什么玩意|不可理喻|滚(?![动筒])/,
  en: /\b(ridiculous|unacceptable|outrageous|furious|fed up|disgusting|disgraceful|pathetic|useless|incompetent|scam|rip-?off|fraud|worst|awful|liars?|lawyer|sue|damn|wtf|sort it out)\b/i,
};
/**
 * Shouting: a run of exclamation marks, or a capitalised NOW. Two count, not only three: "still not
 * here!!" is how angry customers type; a happy "thanks!!" rarely reaches customer service.
 */
const SHOUTING = /[!！]{2,}|\bNOW\b/;

const COMPLAINT: Record<Language, RegExp> = {
  zh: /投诉/,
  en: /\bcomplain(t|ts|ed|ing)?\b/i,
};

/** Someone who has been here before about the same thing. */
const REPEAT_CONTACT: Record<Language, RegExp> = {
  zh: /第[二两三四五]次|又[坏出来]|再次|已经联系过|上次|还是没(解决|修好|处理)/,
  en: /\b(again|second time|third time|already (contacted|called|told)|last time)\b/i,
};

/** A long message is a complex one: many words, or many Chinese characters. */
const LONG_MESSAGE = { zh: 80, en: 50 } as const;

export interface HandoffDecision {
  reason: HandoffReason;
  /** `default`, `vip` or `complaints`: resolved to a queue name through the template's queues. */
  queue: 'default' | 'vip' | 'complaints';
}

export interface HandoffInput {
  language: Language;
  /** The customer's messages in this conversation, oldest first, the latest last. */
  customerTurns: readonly string[];
  tier: CustomerView['tier'] | null;
  /** The intent of the best knowledge-base match, if any (the bot's own guess, not a label). */
  predictedIntent?: string | undefined;
}

export interface HandoffRuleOptions {
  /** Intents a VIP customer gets a person for. */
  complexIntents?: readonly string[];
  /** Intents that always go to a person, and to which queue. */
  handoffIntents?: Readonly<Record<string, 'default' | 'complaints'>>;
}

export const DEFAULT_COMPLEX_INTENTS = ['complaint', 'billing_dispute'] as const;
export const DEFAULT_HANDOFF_INTENTS: Readonly<Record<string, 'default' | 'complaints'>> = { human_request: 'default', complaint: 'complaints' };

/**
 * The template's escalation rules as fixed checks, first match wins: an explicit request for a person,
 * strong negative emotion, a complaint, a VIP with a complex issue. The queue is `vip` for VIP
 * customers (their team takes everything), else `complaints` for a complaint, else `default`.
 */
export function decideHandoff(input: HandoffInput, options: HandoffRuleOptions = {}): HandoffDecision | null {
  const { language: lang, customerTurns, tier, predictedIntent } = input;
  const complexIntents = options.complexIntents ?? DEFAULT_COMPLEX_INTENTS;
  const handoffIntents = options.handoffIntents ?? DEFAULT_HANDOFF_INTENTS;
  const all = customerTurns.join('\n');
  const latest = customerTurns[customerTurns.length - 1] ?? '';
  const vip = tier === 'vip';
  const intentQueue = predictedIntent !== undefined && Object.hasOwn(handoffIntents, predictedIntent) ? handoffIntents[predictedIntent] : undefined;
  const complaint = COMPLAINT[lang].test(all) || intentQueue === 'complaints';

  let reason: HandoffReason | null = null;
  if (HUMAN_REQUEST[lang].test(all) || intentQueue === 'default') reason = 'explicit_request';
  else if (ANGER[lang].test(all) || SHOUTING.test(all)) reason = 'strong_emotion';
  else if (complaint) reason = 'complaint';
  else if (vip && (complexIntents.includes(predictedIntent ?? '') || isLong(latest, lang) || REPEAT_CONTACT[lang].test(all))) reason = 'vip_complex';
  if (reason === null) return null;
  return { reason, queue: vip ? 'vip' : complaint ? 'complaints' : 'default' };
}

function isLong(text: string, lang: Language): boolean {
  if (lang === 'zh') return (text.match(/\p{Script=Han}/gu)?.length ?? 0) > LONG_MESSAGE.zh;
  return text.split(/\s+/).filter(Boolean).length > LONG_MESSAGE.en;
}

// ---------- warranty-consistent choice ----------

/** What an answer says about warranty; `expired` wins when both appear ("no longer under warranty"). */
export function warrantyClaim(answer: string, lang: Language): 'in_warranty' | 'expired' | null {
  const claims = WARRANTY_CLAIM[lang];
  if (claims.expired.test(answer)) return 'expired';
  if (claims.in.test(answer)) return 'in_warranty';
  return null;
}

const WARRANTY_CLAIM: Record<Language, { in: RegExp; expired: RegExp }> = {
  zh: { in: /保修期内|在保修期|仍在保修|免费维修/, expired: /已过保修|过保|不在保修|超出保修|保修.{0,12}到期|付费维修/ },
  en: {
    in: /\b(under|in|within) (the )?warranty\b|\bfree repair\b|\bcovered by (the |your )?warranty\b/i,
    expired: /\bout of warranty\b|\bwarranty (has )?(ended|expired|ran out|is over)\b|\bno longer (under|covered)\b|\bpaid repair\b/i,
  },
};

/**
 * The return windows an answer says the purchase is inside or past ("within our 7-day no-reason
 * return window", "past the 30-day defect return period", "还在7天内", "已经超过7天无理由退货").
 */
export function returnWindowClaims(answer: string, lang: Language): { days: number; within: boolean }[] {
  const claims: { days: number; within: boolean }[] = [];
  for (const [re, within] of RETURN_WINDOW_CLAIM[lang]) for (const m of answer.matchAll(re)) claims.push({ days: Number(m[1]), within });
  return claims;
}

const RETURN_WINDOW_CLAIM: Record<Language, readonly (readonly [RegExp, boolean])[]> = {
  // Each claim, and a second window joined to it ("超过7天无理由退货和30天质量问题退换期限", "past both the
  // 7-day no-reason return window and the 30-day defect return period").
  zh: [
    [/(?:未超过|不超过|没超过|没有超过|还在|仍在|尚在)(\d{1,2})天/g, true],
    [/(?:未超过|不超过|没超过|没有超过|还在|仍在|尚在)\d{1,2}天[^，。；;\d]{0,12}?(?:和|及|与|以及)(\d{1,2})天/g, true],
    [/(?<![未不没有])(?:超过|超出|过了|已过)(?:了)?(\d{1,2})天/g, false],
    [/(?<![未不没有])(?:超过|超出|过了|已过)(?:了)?\d{1,2}天[^，。；;\d]{0,12}?(?:和|及|与|以及)(\d{1,2})天/g, false],
  ],
  en: [
    [/\b(?:within|inside|in) (?:our |the |your )?(\d{1,2})-day (?:no-reason |defect )?return/gi, true],
    [/\b(?:within|inside|in) (?:both )?(?:our |the |your )?\d{1,2}-day [^.,;\d]{0,30}? and (?:the |our |your )?(\d{1,2})-day (?:no-reason |defect )?return/gi, true],
    [/\b(?:past|beyond|outside|after) (?:both )?(?:our |the |your )?(\d{1,2})-day (?:no-reason |defect )?return/gi, false],
    [/\b(?:past|beyond|outside|after) (?:both )?(?:our |the |your )?\d{1,2}-day [^.,;\d]{0,30}? and (?:the |our |your )?(\d{1,2})-day (?:no-reason |defect )?return/gi, false],
  ],
};

function daysBetween(fromDay: string, toDay: string): number {
  const at = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((at(toDay.slice(0, 10)) - at(fromDay.slice(0, 10))) / 86_400_000);
}

/** What a reply's tied slots refer to: a device (with a warranty) or not, of some category. */
export interface PurchaseWanted {
  category?: string;
  device: boolean;
}

/**
 * The purchase the customer is most likely talking about: the one whose order number they gave, else
 * the one whose name shares the most words with their messages, else the latest of the category the
 * reply is about (none when they have none of it), else the latest. Only devices are considered, or only services when the reply is
 * about one (`wanted.device` false), so a plan's price never lands in a repair answer.
 */
export function relevantPurchase(customer: CustomerView | null, text: string, lang: Language, wanted?: PurchaseWanted | null): CustomerView['purchases'][number] | null {
  const device = wanted?.device ?? true;
  const pool = (customer?.purchases ?? []).filter((p) => (p.warranty_months > 0) === device);
  if (pool.length === 0) return null;
  const byOrder = pool.find((p) => p.order_id !== undefined && p.order_id.length >= 4 && text.includes(p.order_id));
  if (byOrder !== undefined) return byOrder;
  const words = new Set(retrievalTerms(text, lang));
  const sameCategory = wanted?.category === undefined ? [] : pool.filter((p) => p.category === wanted.category);
  let best: CustomerView['purchases'][number] | null = null;
  let bestShared = 0;
  for (const p of pool) {
    const shared = new Set(retrievalTerms(p.product, lang).filter((t) => words.has(t))).size;
    if (shared > bestShared || (shared > 0 && shared === bestShared && best !== null && p.purchased_at > best.purchased_at)) {
      best = p;
      bestShared = shared;
    }
  }
  if (best !== null) return best;
  if (sameCategory.length > 0) return latest(sameCategory);
  // The reply is about a kind of product the customer does not have: telling them about another
  // of their devices would be wrong, so its sentences about the purchase are left out.
  return wanted?.category === undefined ? latest(pool) : null;
}

function latest<T extends { purchased_at: string }>(purchases: readonly T[]): T {
  return purchases.reduce((a, b) => (b.purchased_at > a.purchased_at ? b : a));
}

// ---------- the provider ----------

export interface LocalKbOptions {
  knowledgeBase: KnowledgeBase;
  /** Below this match share the bot admits it does not know (fallback message, hand-off). */
  minMatch?: number;
  /**
   * Hits that may replace the best one (when it states an action as done, or contradicts the
   * customer's warranty): those of the same intent, or (for entries without one) within this
   * fraction of the best score.
   */
  closeHits?: number;
  rules?: HandoffRuleOptions;
}

export const DEFAULT_MIN_MATCH = 0.35;
const DEFAULT_CLOSE_HITS = 0.8;
/**
 * The query is the customer's latest message and up to this many before it: the opening message
 * carries the topic, the latest is often only an order number. They count alike (weighting the latest
 * higher retrieved worse on the synthetic corpus).
 */
const EARLIER_MESSAGES = 3;

/** What local:kb may see of a case: never its reference answer, the human's reply, or its labels. */
interface VisibleCase {
  language: Language;
  customerTurns: string[];
  firstReply: boolean;
  customer: CustomerView | null;
  contactDate: string;
}

function visibleCase(c: SuiteCase): VisibleCase {
  const { language, history, customer_message: message, contact_date: contactDate } = c;
  const customerTurns = history.filter((t) => t.role === 'customer').map((t) => t.text);
  if (customerTurns[customerTurns.length - 1] !== message) customerTurns.push(message);
  // Frozen cases may hold purchases made after the contact: the bot never sees them.
  const customer = c.customer === null ? null : customerViewAsOf(c.customer, contactDate);
  return { language, customerTurns, firstReply: !history.some((t) => t.role === 'agent'), customer, contactDate };
}

export function createLocalKbProvider(options: LocalKbOptions): Provider {
  const kb = options.knowledgeBase;
  const minMatch = options.minMatch ?? DEFAULT_MIN_MATCH;
  const closeHits = options.closeHits ?? DEFAULT_CLOSE_HITS;

  function answer(c: VisibleCase, template: PromptTemplate): string {
    const lang = c.language;
    const hits = kb.search(c.customerTurns.slice(-1 - EARLIER_MESSAGES).join('\n'), lang, 20);
    const best = hits[0] !== undefined && hits[0].match >= minMatch ? hits[0] : undefined;
    const greeting = c.firstReply && template.greeting ? template.greeting[lang].trim() : '';
    const queues = template.escalation.queues;

    const handoff = decideHandoff({ language: lang, customerTurns: c.customerTurns, tier: c.customer?.tier ?? null, predictedIntent: best?.entry.intent }, options.rules);
    if (handoff !== null) return join(lang, greeting, template.escalation.message[lang].trim(), marker(queues[handoff.queue]));
    if (best === undefined) return join(lang, greeting, template.fallback_message[lang].trim(), marker(queues.default));

    // The topic is settled by the best hit, so its alternatives need not pass the floor themselves.
    // Answers that say an action was taken ("I've refunded the duplicate $25", "已为您取消订单") are
    // another customer's case: this bot takes none, so it never sends one.
    const alike = hits.filter((h) => (best.entry.intent === undefined ? h.score >= best.score * closeHits : h.entry.intent === best.entry.intent) && !statesAction(h.entry));
    // When no answer of the topic fits the record, an almost as close one of another topic may.
    const near = hits.filter((h) => h.score >= best.score * closeHits && !alike.includes(h) && !statesAction(h.entry));
    const chosen = fitting(alike, near, c);
    // Every close answer says an action was taken or contradicts the customer's record: a person has to answer.
    if (chosen === undefined) return join(lang, greeting, template.escalation.message[lang].trim(), marker(queues.default));
    const purchase = relevantPurchase(c.customer, c.customerTurns.join('\n'), lang, chosen.reply.purchase);
    const filled = fillReply(chosen.reply, { purchases: c.customer?.purchases ?? [], purchase, policy: template.policy[lang] });
    const text = filled.replace(new RegExp(HANDOFF_MARKER.source, 'gi'), '').trim();
    // Nothing left once another customer's details are taken out: say so and hand off.
    if (text === '') return join(lang, greeting, template.fallback_message[lang].trim(), marker(queues.default));
    return join(lang, greeting, text, template.sign_off ? template.sign_off[lang].trim() : '');
  }

  /** Whether an entry's answer states an action as done; read once per entry. */
  const actionStated = new WeakMap<KbEntry, boolean>();
  function statesAction(entry: KbEntry): boolean {
    let stated = actionStated.get(entry);
    if (stated === undefined) actionStated.set(entry, (stated = actionClaims(entry.answer).length > 0));
    return stated;
  }

  /**
   * Retrieval only ever returns a stored answer; it never rewrites one. The first answer of the topic
   * is sent unless it contradicts the customer's record — their warranty status, or whether their
   * purchase is still inside a return window the answer names. Then one of the topic that agrees
   * with it is taken, as an FAQ bot wired to the CRM picks the in-warranty or the expired article;
   * failing that, one of the topic that claims neither; failing that, the same from the almost as
   * close answers of other topics; failing that, none (never an answer that contradicts the record).
   */
  function fitting(alike: readonly KbHit[], near: readonly KbHit[], c: VisibleCase): KbHit | undefined {
    const first = alike[0];
    if (first === undefined) return undefined;
    // The record to agree with is that of the purchase each answer would be filled with.
    const text = c.customerTurns.join('\n');
    const agrees = (h: KbHit): boolean | null => {
      const warranty = warrantyClaim(h.entry.answer, c.language);
      const windows = returnWindowClaims(h.entry.answer, c.language);
      if (warranty === null && windows.length === 0) return null;
      const purchase = relevantPurchase(c.customer, text, c.language, h.reply.purchase);
      if (purchase === null) return null;
      if (warranty !== null && purchase.warranty_months > 0 && warrantyOn(purchase, c.contactDate).status !== warranty) return false;
      const age = daysBetween(purchase.purchased_at, c.contactDate);
      return windows.every((w) => w.within === age <= w.days);
    };
    if (agrees(first) !== false) return first;
    for (const close of [alike, near]) {
      const verdicts = close.map(agrees);
      const found = close.find((_, i) => verdicts[i] === true) ?? close.find((_, i) => verdicts[i] === null);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  return {
    id: LOCAL_KB_ID,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      if (request.signal?.aborted) throw abortedError(LOCAL_KB_ID);
      if (request.case === undefined || request.template === undefined) {
        throw new AppError('usage', `${LOCAL_KB_ID} answers from the case and the prompt template: pass request.case and request.template`);
      }
      return { text: answer(visibleCase(request.case), request.template), model: LOCAL_KB_ID };
    },
  };
}

function marker(queue: string): string {
  return `[[handoff:${queue}]]`;
}

/** Chinese sentences run on without spaces; English ones take one. */
function join(lang: Language, ...parts: string[]): string {
  return parts.filter((p) => p !== '').join(lang === 'zh' ? '' : ' ');
}
