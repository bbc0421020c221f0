// What a suite case already tells the agent: the conversation, the customer's warranty status on the
// contact day, and the details (order number, phone, e-mail, tracking number) already given.
import type { Turn } from '../domain/dialogue.ts';
import type { SuiteCase } from '../domain/eval.ts';
import { warrantyOn } from '../domain/warranty.ts';
import { findPii } from '../text/pii-redaction.ts';
import { actionClaims } from '../text/action-claims.ts';
import { toolTurnActed } from '../tools/actions.ts';
import { ASK_FOR_INFO, infoKind } from '../text/lexicons.ts';
import { compact, findPhrases } from '../text/text-match.ts';
import { memoByText } from './memo.ts';

/** The history, with the customer's message appended when the history does not already end with it. */
export function conversation(c: SuiteCase): Turn[] {
  const last = c.history.at(-1);
  if (c.customer_message.trim() === '' || (last?.role === 'customer' && last.text.trim() === c.customer_message.trim())) return c.history;
  return [...c.history, { role: 'customer', text: c.customer_message }];
}

/**
 * Whether the conversation before the reply already shows an action: a tool call that acted (or may
 * have: one of unknown kind that did not fail), or an agent's reply that said one was taken. A reply
 * that states the action again may be restating it.
 */
export function actedEarlier(c: SuiteCase): boolean {
  return c.history.some((t) => (t.role === 'tool' ? toolTurnActed(t) !== 'no' : t.role === 'agent' && actionClaims(t.text).length > 0));
}

export function customerTexts(c: SuiteCase): string[] {
  return conversation(c)
    .filter((t) => t.role === 'customer')
    .map((t) => t.text);
}

type PurchaseView = NonNullable<SuiteCase['customer']>['purchases'][number];

export interface CaseWarranty {
  status: 'in_warranty' | 'expired';
  /** The purchase it was computed from (null when read from the reference answer). */
  purchase: PurchaseView | null;
  expires_on: string | null;
  source: 'record' | 'reference';
}

/**
 * The warranty status that applies to the case, computed with warrantyOn from the purchase and the
 * contact date. With several purchases, the one whose product or order number the conversation
 * mentions; when none is mentioned and they disagree, unknown (null).
 */
export function caseWarranty(c: SuiteCase): CaseWarranty | null {
  const purchases = c.customer?.purchases ?? [];
  if (purchases.length === 0) return null;
  const statuses = purchases.map((p) => ({ p, w: warrantyOn(p, c.contact_date) }));
  if (statuses.length === 1) return fromRecord(statuses[0]!);
  const talk = compact(conversation(c).map((t) => t.text).join('\n') + '\n' + c.reference_answer);
  const mentioned = statuses.filter(({ p }) => (p.order_id !== undefined && talk.includes(compact(p.order_id))) || talk.includes(compact(p.product)));
  const pool = mentioned.length > 0 ? mentioned : statuses;
  if (pool.every((s) => s.w.status === pool[0]!.w.status)) return fromRecord(pool[0]!);
  return null;
}

function fromRecord({ p, w }: { p: PurchaseView; w: ReturnType<typeof warrantyOn> }): CaseWarranty {
  return { status: w.status, purchase: p, expires_on: w.expires_on, source: 'record' };
}

export type DetailKind = 'order' | 'phone' | 'email' | 'tracking';

/** Order numbers as retailers write them: DD20260131976589, #W4923227, ORD-1234567. Not SF waybills. */
const ORDER_ID = /(?<![A-Za-z0-9])(?:DD\d{10,}|#?W\d{6,}|(?!SF)[A-Z]{2,4}-?\d{6,})(?![A-Za-z0-9])/u;
const LABELLED_ORDER = /(?:订单号?|(?<![运递])单号|order\s*(?:number|no\.?|#|id)?)\s*[:：#]?\s*(?:是|为|is)?\s*#?([A-Za-z0-9-]*\d{5,}[A-Za-z0-9-]*)/iu;
const TRACKING = /(?<![A-Za-z0-9])SF\d{12,13}(?![0-9])|(?:运单号|快递单号|tracking\s*(?:number|no\.?|#)?)\s*[:：#]?\s*(?:是|为|is)?\s*[A-Za-z0-9]{8,}/iu;

/** Details the conversation already holds, with the text that shows each. */
export function knownDetails(c: SuiteCase): Map<DetailKind, string> {
  const known = new Map<DetailKind, string>();
  for (const turn of conversation(c)) {
    const text = turn.text;
    const ids = turnIds(text);
    if (ids.order !== null && !known.has('order')) known.set('order', ids.order);
    if (ids.tracking !== null && !known.has('tracking')) known.set('tracking', ids.tracking);
    if (turn.role === 'agent') continue; // the agent's own words are not something the customer gave
    if (known.has('phone') && known.has('email')) continue;
    const contacts = turnContacts(text);
    if (!known.has('phone') && contacts.phone) known.set('phone', 'a phone number');
    if (!known.has('email') && contacts.email) known.set('email', 'an e-mail address');
  }
  return known;
}

// A conversation's turns recur in its later cases (and fcr reads every case's): each turn is read once.
const turnIds = memoByText((text: string) => {
  const order = ORDER_ID.exec(text) ?? LABELLED_ORDER.exec(text);
  const tracking = TRACKING.exec(text);
  return { order: order ? (order[1] ?? order[0]) : null, tracking: tracking ? tracking[0] : null };
});

const turnContacts = memoByText((text: string) => {
  let pii: ReturnType<typeof findPii> | undefined;
  const found = () => (pii ??= findPii(text));
  return {
    phone: text.includes('[PHONE]') || found().some((m) => m.type === 'PHONE'),
    email: text.includes('[EMAIL]') || found().some((m) => m.type === 'EMAIL'),
  };
});

const INFO_NOUN = /订单号|订单编号|单号|手机号码?|电话号码?|联系电话|联系方式|邮箱|运单号|快递单号|order (?:number|no|#|id)|phone(?: number)?|mobile(?: number)?|e-?mail|tracking number/giu;

/** Details the reply asks the customer for, with the clause that asks. */
export function askedDetails(reply: string): Map<DetailKind, string> {
  const asked = new Map<DetailKind, string>();
  for (const hit of findPhrases(reply, ASK_FOR_INFO)) {
    if (hit.negated) continue; // "no need to send your order number"
    for (const noun of hit.clause.matchAll(INFO_NOUN)) {
      const kind = infoKind(noun[0]);
      if (kind !== null && !asked.has(kind)) asked.set(kind, hit.clause);
    }
  }
  return asked;
}
