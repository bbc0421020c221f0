// Turns a prompt template and a suite case into chat messages: the system prompt in the case's
// language with its variables filled, the few-shot examples, then the conversation so far.
import type { CustomerView } from '../domain/api.ts';
import type { Language, Turn } from '../domain/dialogue.ts';
import type { Bilingual, ChatMessage, PromptTemplate, SuiteCase } from '../domain/eval.ts';
import { purchasesAsOf } from '../domain/customer-view.ts';
import { warrantyOn, type Warranty } from '../domain/warranty.ts';

export const TEMPLATE_VARIABLES = ['customer_profile', 'warranty_status', 'policy', 'language', 'channel', 'today', 'retailer'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateVariables = Record<TemplateVariable, string>;

/** The retailer of the bundled templates and the synthetic corpus; pass `retailer` for another one. */
export const DEFAULT_RETAILER: Bilingual = { zh: '灯塔数码', en: 'Beacon Electronics' };

export interface RenderOptions {
  /**
   * The day the prompt speaks as of ({{today}} and every warranty status). Defaults to the case's
   * contact_date, so an eval renders the same messages on any day (and hits the response cache).
   * A Date is taken as its UTC day; pass 'YYYY-MM-DD' for the customer's local day.
   */
  now?: Date | string;
  retailer?: Bilingual;
}

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const KNOWN = new Set<string>(TEMPLATE_VARIABLES);

/** Only older turns than this are dropped: a model's context is finite, and the recent turns matter. */
const MAX_HISTORY_TURNS = 40;
const MAX_TOOL_TEXT = 2_000;
const MAX_PURCHASES_SHOWN = 20;

/**
 * Problems with a template's {{variables}}, as `field.path: message` lines (empty when fine).
 * Variables are filled only in `system`: anywhere else a {{...}} would reach the customer verbatim.
 */
export function templateVariableProblems(template: PromptTemplate): string[] {
  const problems: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(VARIABLE)) {
        const name = match[1] ?? '';
        if (!path.startsWith('system.')) problems.push(`${path}: {{${name}}} is not filled here; variables work only in system`);
        else if (!KNOWN.has(name)) problems.push(`${path}: unknown variable {{${name}}} (known: ${TEMPLATE_VARIABLES.join(', ')})`);
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}.${i}`));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(item, path === '' ? key : `${path}.${key}`);
    }
  };
  visit(template, '');
  return problems;
}

/** Replaces every {{name}} with its value; an unknown name throws (templates are checked at load). */
export function fillVariables(text: string, variables: TemplateVariables): string {
  const parts = templateParts(text);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    if (!KNOWN.has(name)) throw new Error(`unknown template variable {{${name}}}`);
    out += variables[name as TemplateVariable] + parts[i + 1]!;
  }
  return out;
}

/** Split templates (a prompt fills the same few system texts for every case), at most MAX_SPLIT_TEMPLATES. */
const splitTemplates = new Map<string, readonly string[]>();
const MAX_SPLIT_TEMPLATES = 64;

/** `text` as literal, name, literal, name, ..., literal (what VARIABLE finds, in order). */
function templateParts(text: string): readonly string[] {
  let parts = splitTemplates.get(text);
  if (parts !== undefined) return parts;
  const split: string[] = [];
  let last = 0;
  for (const m of text.matchAll(VARIABLE)) {
    split.push(text.slice(last, m.index), m[1]!);
    last = m.index + m[0].length;
  }
  split.push(text.slice(last));
  if (splitTemplates.size >= MAX_SPLIT_TEMPLATES) splitTemplates.clear();
  splitTemplates.set(text, (parts = split));
  return parts;
}

export function renderMessages(template: PromptTemplate, c: SuiteCase, options: RenderOptions = {}): ChatMessage[] {
  const lang = c.language;
  const turns = c.history.slice(-MAX_HISTORY_TURNS);
  const firstReply = !c.history.some((t) => t.role === 'agent');
  const { conversation, notes } = conversationMessages(turns, c.customer_message);
  // A conversation that opens with the agent (a phone greeting) would put two assistant messages in a
  // row after the few-shot examples, or an assistant first, which strict chat templates reject.
  const opening = conversation[0]?.role === 'assistant' ? conversation.shift()!.content : undefined;

  const sections = [fillVariables(template.system[lang], templateVariables(template, c, options)).trim()];
  sections.push(handoffSection(template, lang));
  const style = styleSection(template, lang, firstReply);
  if (style !== '') sections.push(style);
  if (opening !== undefined) sections.push(TEXT[lang].opening(opening));
  if (notes.length > 0) sections.push(`${TEXT[lang].lookups}\n${notes.join('\n')}`);

  const messages: ChatMessage[] = [{ role: 'system', content: sections.join('\n\n') }];
  for (const example of template.few_shot) {
    if (example.language !== lang) continue;
    messages.push({ role: 'user', content: example.customer }, { role: 'assistant', content: example.agent });
  }
  messages.push(...conversation);
  return messages;
}

/** The values of the template variables for a case (exported for callers that fill their own text). */
export function templateVariables(template: PromptTemplate, c: SuiteCase, options: RenderOptions = {}): TemplateVariables {
  const lang = c.language;
  const today = asOfDay(c, options.now);
  // A frozen case may carry purchases made after its contact date (suites built before the record
  // was cut at the contact date): the prompt never sees them.
  const cutoff = c.contact_date.slice(0, 10) < today ? c.contact_date.slice(0, 10) : today;
  // The record's purchases as of the cutoff (customer-view.ts), each judged once as of `today` for both variables.
  const purchases = c.customer === null ? [] : purchasesAsOf(c.customer.purchases, cutoff);
  const profile = profileOf(purchases, today);
  return {
    customer_profile: c.customer === null ? TEXT[lang].noCustomer : profileText(c.customer, profile, lang),
    warranty_status: warrantyText(profile, today, lang),
    policy: template.policy[lang].trim(),
    language: TEXT[lang].languageName,
    channel: channelName(c.channel, lang),
    today,
    retailer: (options.retailer ?? DEFAULT_RETAILER)[lang],
  };
}

function asOfDay(c: SuiteCase, now: Date | string | undefined): string {
  if (now === undefined) return c.contact_date;
  if (typeof now === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}/.test(now)) throw new Error(`now must start with YYYY-MM-DD, got "${now}"`);
    return now.slice(0, 10);
  }
  return now.toISOString().slice(0, 10);
}

/**
 * Customer turns become user messages and agent turns assistant ones (consecutive ones merged, since
 * some chat templates insist on alternation). Tool and system turns are folded into notes for the
 * system prompt: their facts (an order lookup, a tracking record) matter, but a `system` message in the
 * middle of a conversation is rejected by several open-model chat templates, and the customer never saw
 * them. The conversation always ends with the customer's message as a user message.
 */
function conversationMessages(turns: readonly Turn[], customerMessage: string): { conversation: ChatMessage[]; notes: string[] } {
  const conversation: ChatMessage[] = [];
  const notes: string[] = [];
  const push = (role: 'user' | 'assistant', content: string) => {
    const last = conversation[conversation.length - 1];
    if (last !== undefined && last.role === role) last.content += `\n${content}`;
    else conversation.push({ role, content });
  };
  for (const turn of turns) {
    if (turn.role === 'customer') push('user', turn.text);
    else if (turn.role === 'agent') push('assistant', turn.text);
    else notes.push(`- ${turn.role === 'tool' ? (turn.name ?? 'tool') : 'note'}: ${clip(turn.text.trim(), MAX_TOOL_TEXT)}`);
  }
  const last = conversation[conversation.length - 1];
  if (last === undefined || last.role !== 'user' || !last.content.endsWith(customerMessage)) push('user', customerMessage);
  return { conversation, notes };
}

function handoffSection(template: PromptTemplate, lang: Language): string {
  const t = TEXT[lang];
  return `${t.handoff}\n${template.escalation.rules[lang].trim()}\n${t.handoffSay}${template.escalation.message[lang].trim()}`;
}

function styleSection(template: PromptTemplate, lang: Language, firstReply: boolean): string {
  const lines: string[] = [];
  if (firstReply && template.greeting) lines.push(TEXT[lang].greeting(template.greeting[lang].trim()));
  if (template.sign_off) lines.push(TEXT[lang].signOff(template.sign_off[lang].trim()));
  return lines.join('\n');
}

type Purchase = Pick<CustomerView['purchases'][number], 'product' | 'order_id' | 'purchased_at' | 'price' | 'warranty_months'>;

/** The purchases a prompt shows (newest first, at most MAX_PURCHASES_SHOWN), each judged once as of `today`. */
interface Profile {
  total: number;
  shown: Purchase[];
  /** Per shown purchase: its warranty as of `today` (undefined for a service: no device warranty). */
  warranties: (Warranty | undefined)[];
}

function profileOf(purchases: readonly Purchase[], today: string): Profile {
  const shown = recentPurchases(purchases);
  return { total: purchases.length, shown, warranties: shown.map((p) => (p.warranty_months === 0 ? undefined : warrantyOn(p, today))) };
}

/** Tier, tenure and purchases with their warranty as of `today`. Never the customer's name: it adds nothing to an answer and the prompt leaves the building. */
export function customerProfile(customer: CustomerView | null, today: string, lang: Language): string {
  return customer === null ? TEXT[lang].noCustomer : profileText(customer, profileOf(customer.purchases, today), lang);
}

function profileText(customer: Pick<CustomerView, 'tier' | 'since'>, profile: Profile, lang: Language): string {
  const t = TEXT[lang];
  const { shown, warranties, total } = profile;
  let text = t.tier(t.tierName[customer.tier]);
  if (customer.since) text += `\n${t.since(customer.since)}`;
  if (shown.length === 0) return `${text}\n${t.noPurchases}`;
  text += `\n${t.purchases(total)}`;
  for (let i = 0; i < shown.length; i++) text += `\n- ${t.purchaseLine(shown[i]!, coverageText(shown[i]!, warranties[i], lang))}`;
  if (total > shown.length) text += `\n${t.olderPurchases(total - shown.length)}`;
  return text;
}

/** One line per device purchase: in warranty or expired as of `today`, with the day it ends. */
export function warrantyStatus(customer: CustomerView | null, today: string, lang: Language): string {
  return warrantyText(profileOf(customer?.purchases ?? [], today), today, lang);
}

function warrantyText(profile: Profile, today: string, lang: Language): string {
  const t = TEXT[lang];
  let devices = 0;
  let covered = 0;
  let lines = '';
  profile.shown.forEach((p, i) => {
    const w = profile.warranties[i];
    if (!(p.warranty_months > 0) || w === undefined) return;
    devices++;
    if (w.status === 'in_warranty') covered++;
    lines += `\n- ${t.warrantyLine(p, coverageText(p, w, lang))}`;
  });
  return devices === 0 ? t.noWarranty : t.warrantyHead(today, covered, devices) + lines;
}

function recentPurchases(purchases: readonly Purchase[]): Purchase[] {
  // Stable sort: equal dates keep the record's order.
  return [...purchases].sort((a, b) => (a.purchased_at < b.purchased_at ? 1 : a.purchased_at > b.purchased_at ? -1 : 0)).slice(0, MAX_PURCHASES_SHOWN);
}

function coverageText(p: Purchase, w: Warranty | undefined, lang: Language): string {
  const t = TEXT[lang];
  if (p.warranty_months === 0 || w === undefined) return t.noDeviceWarranty;
  return `${t.months(p.warranty_months)}${w.status === 'in_warranty' ? t.inWarranty(w.expires_on, w.days_left) : t.expired(w.expires_on, -w.days_left)}`;
}

function channelName(channel: string, lang: Language): string {
  return CHANNELS[lang][channel] ?? channel;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const CHANNELS: Record<Language, Record<string, string>> = {
  zh: { web: '官网在线客服', app: 'App 在线客服', wechat: '微信客服', phone: '电话客服（回复会被朗读给客户）', unknown: '在线客服' },
  en: { web: 'web chat', app: 'in-app chat', wechat: 'WeChat', phone: 'phone (your reply is read aloud to the caller)', unknown: 'chat' },
};

interface Texts {
  languageName: string;
  handoff: string;
  handoffSay: string;
  greeting: (text: string) => string;
  signOff: (text: string) => string;
  lookups: string;
  opening: (text: string) => string;
  noCustomer: string;
  tier: (name: string) => string;
  tierName: Record<CustomerView['tier'], string>;
  since: (day: string) => string;
  purchases: (n: number) => string;
  noPurchases: string;
  purchaseLine: (p: Purchase, warranty: string) => string;
  olderPurchases: (n: number) => string;
  noWarranty: string;
  warrantyHead: (today: string, covered: number, total: number) => string;
  warrantyLine: (p: Purchase, warranty: string) => string;
  noDeviceWarranty: string;
  months: (n: number) => string;
  inWarranty: (until: string, daysLeft: number) => string;
  expired: (on: string, daysAgo: number) => string;
}

const TEXT: Record<Language, Texts> = {
  zh: {
    languageName: '简体中文',
    handoff: '## 转人工规则',
    handoffSay: '转人工时可以这样说：',
    greeting: (text) => `这是本次对话中你的第一条回复，请以“${text}”开头。`,
    signOff: (text) => `不转人工时，回复以“${text}”结尾。`,
    lookups: '## 本次对话中已查询到的记录（客户看不到）',
    opening: (text) => `本次对话由客服先开口，说的是：“${text}”`,
    noCustomer: '未匹配到客户档案：涉及订单或保修的问题，请先请客户提供订单号。',
    tier: (name) => `会员等级：${name}`,
    tierName: { standard: '普通会员', silver: '银卡会员', gold: '金卡会员', vip: 'VIP会员' },
    since: (day) => `注册日期：${day}`,
    purchases: (n) => `购买记录（共${n}条）：`,
    noPurchases: '购买记录：无',
    purchaseLine: (p, warranty) =>
      [p.product, p.order_id ? `订单号${p.order_id}` : '', `购买日期${p.purchased_at}`, p.price === undefined ? '' : `金额${p.price}`, warranty].filter(Boolean).join('，'),
    olderPurchases: (n) => `（另有${n}条更早的购买记录未列出）`,
    noWarranty: '客户档案中没有带保修的设备：在确认订单前，不要判断保修状态。',
    warrantyHead: (today, covered, total) => `截至${today}：${total}件设备中${covered}件在保修期内。`,
    warrantyLine: (p, warranty) => `${p.product}${p.order_id ? `（订单号${p.order_id}）` : ''}：${warranty}`,
    noDeviceWarranty: '服务类商品，无设备保修',
    months: (n) => `保修${n}个月，`,
    inWarranty: (until, days) => `在保修期内（保修至${until}，还剩${days}天）`,
    expired: (on, days) => `已过保修期（保修已于${on}到期，已过${days}天）`,
  },
  en: {
    languageName: 'English',
    handoff: '## Hand-off rules',
    handoffSay: 'When you hand off, you can say: ',
    greeting: (text) => `This is your first reply in the conversation: begin it with "${text}"`,
    signOff: (text) => `Unless you hand off, end your reply with "${text}"`,
    lookups: '## Records already looked up in this conversation (the customer cannot see them)',
    opening: (text) => `The agent opened this conversation with: "${text}"`,
    noCustomer: 'No customer record is linked to this conversation: ask for the order number before discussing an order or a warranty.',
    tier: (name) => `Tier: ${name}`,
    tierName: { standard: 'standard', silver: 'silver', gold: 'gold', vip: 'VIP' },
    since: (day) => `Customer since: ${day}`,
    purchases: (n) => `Purchases (${n}):`,
    noPurchases: 'Purchases: none on record',
    purchaseLine: (p, warranty) =>
      [p.product, p.order_id ? `order ${p.order_id}` : '', `bought ${p.purchased_at}`, p.price === undefined ? '' : `price ${p.price}`, warranty].filter(Boolean).join(', '),
    olderPurchases: (n) => `(${n} older purchases not listed)`,
    noWarranty: 'No device with a warranty on record: do not state a warranty status until the order is identified.',
    warrantyHead: (today, covered, total) => `As of ${today}: ${covered} of ${total} devices under warranty.`,
    warrantyLine: (p, warranty) => `${p.product}${p.order_id ? ` (${p.order_id})` : ''}: ${warranty}`,
    noDeviceWarranty: 'a service, no device warranty',
    months: (n) => `${n}-month warranty, `,
    inWarranty: (until, days) => `under warranty until ${until} (${days} days left)`,
    expired: (on, days) => `out of warranty: it ended on ${on} (${days} days ago)`,
  },
};
