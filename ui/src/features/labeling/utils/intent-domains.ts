// The intent picker's groups: a domain per intent from the words of its key (retail, telecom and
// devices, banking and finance, general), since one store can mix datasets from several businesses.
// Keys from imported datasets may be CamelCase (`CheckCreditCardBalance`): they are split into words.
import { intentWords, type IntentOption } from './intent-search.ts';

export const INTENT_DOMAINS = ['retail', 'telecom', 'banking', 'general'] as const;
export type IntentDomain = (typeof INTENT_DOMAINS)[number];

// First match wins: general (people, feedback) before banking before telecom before retail.
const RULES: readonly { domain: IntentDomain; words: readonly string[]; cjk: readonly string[] }[] = [
  { domain: 'general', words: ['human', 'agent', 'complaint', 'review', 'feedback', 'newsletter', 'contact'], cjk: ['人工', '投诉', '建议'] },
  {
    domain: 'banking',
    words: ['bank', 'banking', 'loan', 'credit', 'debit', 'stock', 'stocks', 'bond', 'treasury', 'investment', 'liquidity', 'debt', 'income', 'branch', 'statement', 'pin', 'rate', 'consumer', 'mortgage', 'savings', 'transfer', 'balance', 'check', 'auto'],
    cjk: ['银行', '贷款', '信用卡', '转账', '理财', '余额', '汇率', '股票'],
  },
  {
    domain: 'telecom',
    words: ['plan', 'sim', 'roaming', 'data', 'network', 'signal', 'billing', 'bill', 'device', 'setup', 'repair', 'screen', 'warranty', 'phone'],
    cjk: ['话费', '流量', '套餐', '信号', '维修', '屏幕', '保修', '手机'],
  },
  {
    domain: 'retail',
    words: ['order', 'orders', 'delivery', 'shipping', 'refund', 'return', 'exchange', 'invoice', 'payment', 'cancel', 'cancellation', 'purchase', 'product', 'track', 'address', 'items', 'storewide', 'defect'],
    cjk: ['订单', '退货', '退款', '物流', '发货', '快递', '换货', '发票', '地址'],
  },
];

// `check_invoice` is retail: `check` alone is a bank cheque only next to one of these.
const CHEQUE_WORDS = new Set(['cancel', 'order']);

export function intentDomain(key: string): IntentDomain {
  const words = intentWords(key).split('_');
  for (const rule of RULES) {
    const hit = words.some((w, i) => rule.words.includes(w) && (w !== 'check' || (i > 0 && CHEQUE_WORDS.has(words[i - 1]!))));
    if (hit || rule.cjk.some((c) => key.includes(c))) return rule.domain;
  }
  return 'general';
}

export interface IntentGroup {
  domain: IntentDomain | null;
  options: IntentOption[];
}

/**
 * The options in domain groups, each group in the options' own order (best match, then most used)
 * and the groups by their best option; a new key to add comes last, in a group of its own.
 */
export function groupIntentOptions(options: readonly IntentOption[], domainOf: (key: string) => IntentDomain = intentDomain): IntentGroup[] {
  const groups = new Map<IntentDomain, IntentOption[]>();
  const added: IntentOption[] = [];
  for (const option of options) {
    if (option.kind === 'new') {
      added.push(option);
      continue;
    }
    const domain = domainOf(option.key);
    const group = groups.get(domain);
    if (group) group.push(option);
    else groups.set(domain, [option]);
  }
  const result: IntentGroup[] = [...groups].map(([domain, list]) => ({ domain, options: list }));
  return added.length > 0 ? [...result, { domain: null, options: added }] : result;
}
