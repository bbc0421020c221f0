// ABCD (Action-Based Conversations Dataset): a JSON array of conversations, or the upstream
// `{"train": [...], "dev": [...], "test": [...]}` (~100 MB), streamed element by element.
//
// Mapping of one conversation:
// - `original` [speaker, text] pairs: customer -> customer, agent -> agent (agent_kind `human`:
//   ABCD agents are people), action -> tool named `action` (the agent's button presses). Turns in
//   a row from one speaker stay separate turns; turns with empty text are dropped.
// - id `abcd-<convo_id>`; metadata { dataset, convo_id, intent: scenario.flow, subflow, split }.
// - scenario.personal -> a `customer` record, emitted before the dialogue, when it has a username
//   (customer_id; the dialogue gets the same customer_id): name, tier from member_level (guest and
//   bronze -> standard, silver -> silver, gold -> gold, platinum -> vip), and one purchase per
//   product of scenario.order/product, on the order's purchase_date with its order_id, price
//   and product type. ABCD has no warranty terms: warranty_months is assumed to be 12.
// - No channel, timestamps or outcome: channel is left to the canonical default (`unknown`),
//   language is `en` (ABCD is English).
import type { CustomerInput, CustomerTier, DialogueInput, Purchase, Turn } from '../../domain/dialogue.ts';
import { readJsonElements } from './json-elements.ts';
import type { FormatReader, SourceItem } from './types.ts';
import { badItem, describeJsonValue, isRecord } from './reader-helpers.ts';

export const ABCD_WARRANTY_MONTHS = 12;

const TIERS: Readonly<Record<string, CustomerTier>> = {
  guest: 'standard',
  bronze: 'standard',
  silver: 'silver',
  gold: 'gold',
  platinum: 'vip',
};

const SPEAKERS: Readonly<Record<string, Pick<Turn, 'role' | 'agent_kind' | 'name'>>> = {
  customer: { role: 'customer' },
  agent: { role: 'agent', agent_kind: 'human' },
  action: { role: 'tool', name: 'action' },
};

export interface AbcdElement {
  line: number;
  /** Byte offset of the element, quoted in reasons: ABCD files are usually a single line. */
  offset: number;
  /** The top-level key the element came from (`train`, `dev`, `test`), if any. */
  group?: string;
  value: unknown;
}

export function convertAbcdConversation({ line, offset, group: split, value }: AbcdElement): SourceItem[] {
  const raw = () => JSON.stringify(value) ?? '';
  const bad = (reason: string) => [badItem(line, `${reason} (element at byte ${offset})`, raw())];
  if (!isRecord(value)) return bad(`not an ABCD conversation (got ${describeJsonValue(value)})`);
  const { convo_id: convoId, original } = value;
  if ((typeof convoId !== 'number' && typeof convoId !== 'string') || convoId === '') {
    return bad('not an ABCD conversation: no convo_id');
  }
  if (!Array.isArray(original)) return bad(`ABCD conversation ${convoId}: no "original" turns array`);

  const turns: Turn[] = [];
  for (let i = 0; i < original.length; i++) {
    const pair: unknown = original[i];
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      return bad(`ABCD conversation ${convoId}: original[${i}] is not a [speaker, text] pair`);
    }
    const speaker = SPEAKERS[pair[0]];
    if (!speaker) return bad(`ABCD conversation ${convoId}: unknown speaker "${pair[0]}" in original[${i}]`);
    if (pair[1].trim() !== '') turns.push({ ...speaker, text: pair[1] });
  }

  const scenario = isRecord(value.scenario) ? value.scenario : {};
  const metadata: Record<string, unknown> = { dataset: 'abcd', convo_id: convoId };
  if (typeof scenario.flow === 'string') metadata.intent = scenario.flow;
  if (typeof scenario.subflow === 'string') metadata.subflow = scenario.subflow;
  if (split !== undefined) metadata.split = split;

  const dialogue: DialogueInput = { id: `abcd-${convoId}`, language: 'en', turns, metadata };
  const customer = abcdCustomer(scenario);
  if (!customer) return [{ kind: 'dialogue', line, value: dialogue }];
  dialogue.customer_id = customer.customer_id;
  return [
    { kind: 'customer', line, value: customer },
    { kind: 'dialogue', line, value: dialogue },
  ];
}

function abcdCustomer(scenario: Record<string, unknown>): CustomerInput | undefined {
  const personal = isRecord(scenario.personal) ? scenario.personal : {};
  if (typeof personal.username !== 'string' || personal.username === '') return undefined;
  const customer: CustomerInput = { customer_id: personal.username, purchases: abcdPurchases(scenario) };
  if (typeof personal.customer_name === 'string' && personal.customer_name !== '') customer.name = personal.customer_name;
  const tier = typeof personal.member_level === 'string' ? TIERS[personal.member_level.toLowerCase()] : undefined;
  if (tier) customer.tier = tier;
  return customer;
}

function abcdPurchases(scenario: Record<string, unknown>): Purchase[] {
  const order = isRecord(scenario.order) ? scenario.order : {};
  const product = isRecord(scenario.product) ? scenario.product : {};
  const names: unknown = product.names;
  const purchasedAt = order.purchase_date;
  if (typeof purchasedAt !== 'string' || !Array.isArray(names)) return [];
  const amounts = Array.isArray(product.amounts) ? product.amounts : [];
  // `order.products` is a Python repr ("[{'brand': …, 'product_type': 'jeans', …}]"), not JSON:
  // the product types are read with a pattern, and only used when they line up with the names.
  const types = typeof order.products === 'string' ? [...order.products.matchAll(/'product_type': '([^']*)'/g)].map((m) => m[1]!) : [];
  const purchases: Purchase[] = [];
  names.forEach((name: unknown, i) => {
    if (typeof name !== 'string' || name === '') return;
    const purchase: Purchase = { product: name, purchased_at: purchasedAt, warranty_months: ABCD_WARRANTY_MONTHS };
    if (typeof order.order_id === 'string' && order.order_id !== '') purchase.order_id = order.order_id;
    const price = amounts[i];
    if (typeof price === 'number') purchase.price = price;
    if (types.length === names.length && types[i]) purchase.category = types[i];
    purchases.push(purchase);
  });
  return purchases;
}

export const abcdReader: FormatReader = {
  id: 'abcd',
  sniff(head) {
    return /^\s*[[{]/.test(head.replace(/^\uFEFF/, '')) && /"convo_id"\s*:/.test(head) && /"original"\s*:\s*\[/.test(head);
  },
  async *read({ path }) {
    for await (const elements of readJsonElements(path)) {
      const items: SourceItem[] = [];
      for (const element of elements) {
        if ('error' in element) items.push(badItem(element.line, element.error, element.raw));
        else items.push(...convertAbcdConversation(element));
      }
      yield items;
    }
  },
};
