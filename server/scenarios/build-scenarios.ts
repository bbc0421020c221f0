// Scenarios derived from dialogues, pure over plain inputs (dialogues, CRM customers, gold labels):
// (a) the synthetic generator's ground truth (its scenario name, order and escalation decision, with
//     the customer's record) gives the expected end state: a free repair ticket in warranty, a paid
//     one accepted out of warranty, a return within the windows, a refusal outside them, a
//     cancellation or address change before shipping, a hand-off for complaints and explicit asks;
// (b) any labeled dialogue gives the customer's turns as the script and the label's required facts,
//     escalation decision and outcome as the expectation (no end state: the goal is then judged on
//     the escalation decision and the facts).
// Repeat contacts are skipped (the episode's first contact is the scenario), and so are intents no
// back-office tool can settle (delivery delays, billing, setup): their goal cannot be judged by state.
import { understand } from '../agent/understand.ts';
import type { CustomerRecord } from '../domain/customer-view.ts';
import type { Customer, ParsedDialogue } from '../domain/dialogue.ts';
import type { GoldLabel } from '../domain/label.ts';
import { cheapestPlanFor, DEFAULT_POLICY } from '../tools/policy.ts';
import type { ExpectedState, OrderStatus } from '../tools/sandbox.ts';
import { Scenario, type Emotion, type GoalOutcome, type ScenarioInput } from './scenario.ts';

/** The fields of a dialogue a scenario needs (a stored Dialogue or a parsed canonical line). */
export type ScenarioDialogue = Pick<ParsedDialogue, 'id' | 'turns' | 'language' | 'started_at' | 'channel' | 'customer_id' | 'outcome' | 'metadata'>;

export interface BuildScenariosInput {
  dialogues: readonly ScenarioDialogue[];
  customers: readonly (Customer | CustomerRecord)[];
  goldLabels?: readonly GoldLabel[];
}

export interface BuildScenariosOptions {
  /** Keep only dialogues for which this returns true (e.g. a split: `(d) => splitOf(d.id) === 'test'`). */
  include?: (dialogue: ScenarioDialogue) => boolean;
  /** Agent replies before a conversation stops anyway (default 8). */
  maxTurns?: number;
}

export interface BuildScenariosResult {
  scenarios: Scenario[];
  skipped: { dialogue_id: string; reason: string }[];
}

const PATIENCE: Record<Emotion, number> = { calm: 4, frustrated: 3, angry: 2 };

interface Truth {
  outcome: GoalOutcome;
  state: ExpectedState;
  statuses?: Record<string, OrderStatus>;
  acceptsOffer?: boolean;
  address?: string;
  mustSay?: string[];
  description: { zh: string; en: string };
}

/** The synthetic generator's scenario names (server/synthetic/scenarios) and the end state each calls for. */
function syntheticTruth(name: string, orderId: string | undefined, lang: 'zh' | 'en', d: ScenarioDialogue, meta: Record<string, unknown>): Truth | string {
  const id = orderId;
  const delivered = id ? { [id]: 'delivered' as const } : {};
  switch (name) {
    case 'screen_in_warranty':
    case 'fault_in_warranty':
      if (!id) return 'no order id in the ground truth';
      return {
        outcome: 'repair_ticket',
        state: { tickets: [{ order_id: id, charge: 'free', ...(name.startsWith('screen') ? { issue_kind: 'screen_damage' as const } : {}) }] },
        statuses: delivered,
        description: { zh: '设备在保修期内出了问题，希望免费维修。', en: 'The device is under warranty and has a problem; the customer wants it repaired for free.' },
      };
    case 'screen_out_of_warranty':
    case 'fault_out_of_warranty':
      if (!id) return 'no order id in the ground truth';
      return {
        outcome: 'paid_repair',
        state: { tickets: [{ order_id: id, charge: 'paid' }] },
        statuses: delivered,
        acceptsOffer: true,
        description: { zh: '设备已过保修期出了问题；得知需要付费维修后同意预约。', en: 'The device is out of warranty and has a problem; told it is a paid repair, the customer agrees to book it.' },
      };
    case 'refund_within_7_days':
    case 'refund_defect_within_30_days':
      if (!id) return 'no order id in the ground truth';
      return {
        outcome: 'return',
        // Opening a return also marks the order.
        state: { orders: [{ order_id: id, status: 'return_requested' }], returns: [{ order_id: id, kind: name === 'refund_within_7_days' ? 'no_reason_return' : 'defect_refund' }] },
        statuses: delivered,
        description: { zh: '想退货退款。', en: 'The customer wants to return the item for a refund.' },
      };
    case 'refund_outside_window':
      return { outcome: 'refund_refused', state: {}, statuses: delivered, description: { zh: '想退款，但已过退货期限；应被告知无法退款及原因。', en: 'The customer wants a refund past the return windows; they should be told why it is not possible.' } };
    case 'cancel_before_shipping':
      if (!id) return 'no order id in the ground truth';
      return { outcome: 'cancelled', state: { orders: [{ order_id: id, status: 'cancelled' }] }, statuses: { [id]: 'processing' }, description: { zh: '想取消还没发货的订单。', en: 'The customer wants to cancel an order that has not shipped.' } };
    case 'cancel_after_shipping':
      return { outcome: 'cancel_refused', state: {}, statuses: id ? { [id]: 'shipped' } : {}, description: { zh: '想取消订单，但已经发货。', en: 'The customer wants to cancel an order that has already shipped.' } };
    case 'address_change_before_shipping': {
      if (!id) return 'no order id in the ground truth';
      const address = newAddress(d, lang);
      if (address === undefined) return 'no new address in the customer turns';
      return {
        outcome: 'address_changed',
        state: { orders: [{ order_id: id, delivery_address: address }], address_changes: [{ order_id: id, address }] },
        statuses: { [id]: 'processing' },
        address,
        description: { zh: '订单还没发货，想改收货地址。', en: 'The order has not shipped; the customer wants to change the delivery address.' },
      };
    }
    case 'address_change_after_shipping': {
      const address = newAddress(d, lang);
      return { outcome: 'address_refused', state: {}, statuses: id ? { [id]: 'shipped' } : {}, ...(address ? { address } : {}), description: { zh: '想改收货地址，但订单已经发货。', en: 'The customer wants to change the delivery address of an order that has already shipped.' } };
    }
    case 'plan_new_line':
    case 'plan_upgrade':
    case 'plan_downgrade': {
      // The plan the tools' policy gives for the usage (the generator's downgrade rule differs: it keeps 30% headroom).
      const offer = typeof meta.data_used_gb === 'number' ? cheapestPlanFor(DEFAULT_POLICY, meta.data_used_gb) : undefined;
      return {
        outcome: 'plan_recommended',
        state: {},
        ...(offer ? { mustSay: [offer.name[lang]] } : {}),
        description: { zh: '想找一个适合自己用量的套餐。', en: 'The customer wants a plan that fits their use.' },
      };
    }
    default:
      if (name.startsWith('complaint_') || name.startsWith('human_request')) {
        return { outcome: 'human_handoff', state: { transfers: [{}] }, description: { zh: '要投诉或要求人工处理。', en: 'The customer has a complaint or asks for a person.' } };
      }
      return `no back-office end state for synthetic scenario ${name}`;
  }
}

/** The new delivery address the customer gave (read as the agent reads it). */
function newAddress(d: ScenarioDialogue, lang: 'zh' | 'en'): string | undefined {
  return d.turns
    .filter((t) => t.role === 'customer')
    .map((t) => understand(t.text, lang).address)
    .filter((a): a is string => a !== null)
    .at(-1);
}

const GREETING_ONLY = /^(你好|您好)?[，,]?\s*(在吗|在不在|你好|您好|hello|hi|hey)?[，,]?\s*(anyone there)?[?？!！。.\s]*$/i;

const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : []);
const safeId = (id: string) => id.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');

export function buildScenarios(input: BuildScenariosInput, options: BuildScenariosOptions = {}): BuildScenariosResult {
  const customers = new Map(input.customers.map((c) => [c.customer_id, c]));
  const gold = new Map((input.goldLabels ?? []).map((g) => [g.dialogue_id, g]));
  const scenarios: Scenario[] = [];
  const skipped: BuildScenariosResult['skipped'] = [];
  const skip = (d: ScenarioDialogue, reason: string) => skipped.push({ dialogue_id: d.id, reason });

  for (const d of input.dialogues) {
    if (options.include && !options.include(d)) continue;
    const meta = (d.metadata ?? {}) as Record<string, unknown>;
    const label = gold.get(d.id);
    if (typeof meta.repeat_of === 'string') {
      skip(d, 'a repeat contact: its episode is scenario-ised from the first contact');
      continue;
    }
    const lang = d.language;
    if (lang === undefined) {
      skip(d, 'language unknown');
      continue;
    }
    const script = d.turns.filter((t) => t.role === 'customer').map((t) => t.text);
    // "在吗" / "hi, anyone there?" before the request says nothing the simulator can answer with.
    while (script.length > 1 && GREETING_ONLY.test(script[0]!.trim())) script.shift();
    if (script.length === 0) {
      skip(d, 'no customer turn');
      continue;
    }
    const contactDate = (d.started_at ?? '').slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(contactDate)) {
      skip(d, 'no start time: the contact date is unknown');
      continue;
    }
    const escalation =
      label?.escalation_needed === 'yes' ? true : label?.escalation_needed === 'no' ? false : typeof meta.expected_escalation === 'boolean' ? meta.expected_escalation : undefined;
    if (escalation === undefined) {
      skip(d, 'no escalation decision (no label, no ground truth)');
      continue;
    }
    const synthetic = meta.synthetic === true && typeof meta.scenario === 'string';
    const orderId = typeof meta.order_id === 'string' ? meta.order_id : undefined;
    const truth = synthetic ? syntheticTruth(meta.scenario as string, orderId, lang, d, meta) : undefined;
    if (typeof truth === 'string' && label === undefined) {
      skip(d, truth);
      continue;
    }
    if (!synthetic && label === undefined) {
      skip(d, 'neither labeled nor synthetic');
      continue;
    }
    let known = typeof truth === 'object' ? truth : undefined;
    // A paid repair needs the customer's consent: when a person must take over, that is theirs to book.
    if (known?.outcome === 'paid_repair' && escalation) known = { ...known, outcome: 'human_handoff', state: { transfers: [{}] } };

    const record = d.customer_id ? customers.get(d.customer_id) : undefined;
    const purchases = (record?.purchases ?? []).filter((p) => p.purchased_at <= contactDate).map(({ product, purchased_at, warranty_months, order_id, category, price }) => ({
      product,
      purchased_at,
      warranty_months,
      ...(order_id === undefined ? {} : { order_id }),
      ...(category === undefined ? {} : { category }),
      ...(price === undefined ? {} : { price }),
    }));
    const customer = record ? { customer_id: record.customer_id, tier: record.tier, ...(record.language ? { language: record.language } : {}), ...(record.since ? { since: record.since } : {}), purchases } : null;
    const emotion: Emotion = meta.emotion === 'frustrated' || meta.emotion === 'angry' ? meta.emotion : 'calm';
    const product = orderId ? purchases.find((p) => p.order_id === orderId)?.product.replace(/\s*\(.*\)\s*$/, '') : undefined;
    const intent = label?.intent ?? (typeof meta.intent === 'string' ? meta.intent : 'unknown');
    const outcome: GoalOutcome = known?.outcome ?? (escalation ? 'human_handoff' : 'information');
    // A case that needs a person: whatever the tools settle, and a transfer.
    const state: ExpectedState | null = known ? (escalation && !known.state.transfers?.length ? { ...known.state, transfers: [{}] } : known.state) : null;
    const facts = label && label.required_facts.length > 0 ? label.required_facts : strings(meta.required_facts);
    const resolved = label?.fcr === 'yes' ? true : label?.fcr === 'no' ? false : (d.outcome?.resolved ?? null);
    const description = known ? known.description[lang] + (escalation ? (lang === 'zh' ? '（需要转人工跟进）' : ' (a person should follow up)') : '') : lang === 'zh' ? `与原对话相同的诉求（${intent}）。` : `The same request as the logged dialogue (${intent}).`;

    const candidate: ScenarioInput = {
      id: `${known ? 'syn' : 'dlg'}-${safeId(d.id)}`,
      source: known ? 'synthetic' : 'labeled',
      source_dialogue_id: d.id,
      language: lang,
      channel: d.channel ?? 'unknown',
      contact_date: contactDate,
      goal: { intent, outcome, description },
      persona: { emotion, patience: PATIENCE[emotion], tier: record?.tier ?? 'standard' },
      knows: {
        ...(orderId ? { order_id: orderId } : {}),
        ...(product ? { product } : {}),
        ...(['repair_ticket', 'paid_repair'].includes(outcome) ? { problem: script[0]!.slice(0, 500) } : {}),
        ...(known?.address ? { new_address: known.address } : {}),
        ...(typeof meta.data_used_gb === 'number' ? { data_gb: meta.data_used_gb } : {}),
        accepts_offer: known?.acceptsOffer ?? true,
      },
      customer,
      order_statuses: known?.statuses ?? {},
      script: script.map((t) => t.slice(0, 2000)).slice(0, 20),
      expected: { state, escalation, required_facts: facts.slice(0, 30), must_say: known?.mustSay ?? [], resolved },
      ...(options.maxTurns ? { max_turns: options.maxTurns } : {}),
      tags: [known ? `synthetic:${String(meta.scenario)}` : 'labeled'],
    };
    const parsed = Scenario.safeParse(candidate);
    if (!parsed.success) {
      skip(d, `invalid scenario: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      continue;
    }
    scenarios.push(parsed.data);
  }
  scenarios.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { scenarios, skipped };
}
