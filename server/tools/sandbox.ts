// A per-conversation copy of one customer's back office: their orders (with fulfilment status),
// repair tickets, returns, address changes and transfers, seeded from the CRM record as of the
// contact day. Copy-on-write: the seed is cloned and frozen once, every write makes a new frozen
// state, so neither the record nor an earlier state ever changes. The final state can be diffed
// against the initial one, or checked against an expected state (as τ-bench judges a conversation).
import { z } from 'zod';
import { customerViewAsOf, type CustomerRecord } from '../domain/customer-view.ts';
import { Language } from '../domain/dialogue.ts';
import { deepFreeze } from '../domain/freeze.ts';
import { DEFAULT_POLICY, IssueKind, type ServicePolicy } from './policy.ts';

export const ORDER_STATUSES = ['processing', 'shipped', 'delivered', 'active', 'cancelled', 'return_requested'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const SandboxOrder = z.object({
  order_id: z.string(),
  product: z.string(),
  category: z.string().nullable(),
  purchased_at: z.iso.date(),
  price: z.number().nullable(),
  warranty_months: z.number().int(),
  status: OrderStatus,
  /** Set once the customer changed it in this conversation (the record holds no address). */
  delivery_address: z.string().nullable(),
});
export type SandboxOrder = z.infer<typeof SandboxOrder>;

export const RepairTicket = z.object({
  ticket_id: z.string(),
  order_id: z.string(),
  issue: z.string(),
  issue_kind: IssueKind,
  charge: z.enum(['free', 'paid']),
  opened_on: z.iso.date(),
});
export type RepairTicket = z.infer<typeof RepairTicket>;

export const ReturnRecord = z.object({
  return_id: z.string(),
  order_id: z.string(),
  reason: z.enum(['changed_mind', 'defect']),
  /** Which clause allowed it: the no-reason window or the defect window. */
  kind: z.enum(['no_reason_return', 'defect_refund']),
  refund_amount: z.number().nullable(),
  opened_on: z.iso.date(),
});
export type ReturnRecord = z.infer<typeof ReturnRecord>;

export const AddressChange = z.object({ order_id: z.string(), address: z.string(), changed_on: z.iso.date() });
export type AddressChange = z.infer<typeof AddressChange>;

export const Transfer = z.object({ transfer_id: z.string(), queue: z.string(), summary: z.string() });
export type Transfer = z.infer<typeof Transfer>;

export const BackOfficeState = z.object({
  /** The contact day: warranty and windows are judged as of it. */
  today: z.iso.date(),
  customer: z.object({ customer_id: z.string(), tier: z.string(), language: Language.nullable() }),
  orders: z.array(SandboxOrder),
  tickets: z.array(RepairTicket),
  returns: z.array(ReturnRecord),
  address_changes: z.array(AddressChange),
  transfers: z.array(Transfer),
});
export type BackOfficeState = z.infer<typeof BackOfficeState>;

export interface SeedOptions {
  /** Fulfilment statuses known from elsewhere (an order system, a logged lookup), by order id. */
  statuses?: Readonly<Record<string, OrderStatus>>;
}

/**
 * The CRM record holds purchases but no fulfilment status, so a status is inferred from the age of
 * a purchase (what the synthetic scenarios assume): bought today, not shipped yet; one or two days
 * ago, shipped; older, delivered; a service without warranty (a mobile plan) is active.
 */
export function inferStatus(purchase: { purchased_at: string; warranty_months: number; category?: string | undefined }, today: string): OrderStatus {
  if (purchase.category === 'mobile_plan' || (purchase.warranty_months === 0 && purchase.category === undefined)) return 'active';
  const days = daysBetween(purchase.purchased_at, today);
  if (days <= 0) return 'processing';
  if (days <= 2) return 'shipped';
  return 'delivered';
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

/** The back office of a customer as of `today`: only purchases made by then, nothing opened yet. */
export function seedFromCustomer(customer: CustomerRecord, today: string, options: SeedOptions = {}): BackOfficeState {
  const view = customerViewAsOf(customer, today);
  const orders = view.purchases.map((p, i) => ({
    // A purchase without an order id still needs a key the tools can name.
    order_id: p.order_id ?? `${customer.customer_id}-${i + 1}`,
    product: p.product,
    category: p.category ?? null,
    purchased_at: p.purchased_at,
    price: p.price ?? null,
    warranty_months: p.warranty_months,
    status: (p.order_id !== undefined ? options.statuses?.[p.order_id] : undefined) ?? inferStatus(p, today),
    delivery_address: null,
  }));
  return BackOfficeState.parse({
    today: today.slice(0, 10),
    customer: { customer_id: customer.customer_id, tier: customer.tier, language: customer.language ?? null },
    orders,
    tickets: [],
    returns: [],
    address_changes: [],
    transfers: [],
  });
}


export interface Sandbox {
  readonly policy: ServicePolicy;
  /** The state the conversation started from (frozen). */
  readonly initial: BackOfficeState;
  /** The current state (frozen; each write replaces it). */
  state(): BackOfficeState;
  /** Applies a change to a fresh copy of the current state; the copy becomes the state. */
  update(change: (draft: BackOfficeState) => void): BackOfficeState;
  /** A new id for a record: prefix, the contact day and a sequence number (RT20260302-0001). */
  nextId(prefix: string): string;
}

/** A sandbox over a copy of `seed` (the seed itself is never touched). */
export function createSandbox(seed: BackOfficeState, policy: ServicePolicy = DEFAULT_POLICY): Sandbox {
  const initial = deepFreeze(structuredClone(seed));
  let current = initial;
  const seq = new Map<string, number>();
  return {
    policy,
    initial,
    state: () => current,
    update(change) {
      const draft = structuredClone(current);
      change(draft);
      current = deepFreeze(BackOfficeState.parse(draft));
      return current;
    },
    nextId(prefix) {
      const n = (seq.get(prefix) ?? 0) + 1;
      seq.set(prefix, n);
      return `${prefix}${initial.today.replaceAll('-', '')}-${String(n).padStart(4, '0')}`;
    },
  };
}

// ---------- diffs ----------

const COLLECTIONS = ['orders', 'tickets', 'returns', 'address_changes', 'transfers'] as const;
type Collection = (typeof COLLECTIONS)[number];
type Row = Record<string, unknown>;

function keyOf(collection: Collection, row: Row, index: number): string {
  switch (collection) {
    case 'orders':
      return String(row.order_id);
    case 'tickets':
      return String(row.ticket_id);
    case 'returns':
      return String(row.return_id);
    case 'transfers':
      return String(row.transfer_id);
    default:
      return `${String(row.order_id)}#${index}`;
  }
}

export interface StateChange {
  collection: Collection;
  op: 'added' | 'removed' | 'changed';
  key: string;
  /** For `changed`: each field that differs, from → to. */
  fields?: Record<string, { from: unknown; to: unknown }>;
  /** For `added` / `removed`: the record. */
  record?: Row;
}

/** What changed from `before` to `after`, record by record (orders by id, tickets by ticket id, …). */
export function diffStates(before: BackOfficeState, after: BackOfficeState): StateChange[] {
  const changes: StateChange[] = [];
  for (const collection of COLLECTIONS) {
    const a = new Map((before[collection] as Row[]).map((r, i) => [keyOf(collection, r, i), r]));
    const b = new Map((after[collection] as Row[]).map((r, i) => [keyOf(collection, r, i), r]));
    for (const [key, row] of b) {
      const old = a.get(key);
      if (old === undefined) {
        changes.push({ collection, op: 'added', key, record: row });
        continue;
      }
      const fields: Record<string, { from: unknown; to: unknown }> = {};
      for (const f of new Set([...Object.keys(old), ...Object.keys(row)])) {
        if (JSON.stringify(old[f]) !== JSON.stringify(row[f])) fields[f] = { from: old[f], to: row[f] };
      }
      if (Object.keys(fields).length > 0) changes.push({ collection, op: 'changed', key, fields });
    }
    for (const [key, row] of a) if (!b.has(key)) changes.push({ collection, op: 'removed', key, record: row });
  }
  return changes;
}

/**
 * What a conversation should have left behind. Orders list only those whose fields must have these
 * values (other orders must be unchanged). For tickets, returns, address changes and transfers, the
 * records created in the conversation must match the listed ones one to one, each on the fields it
 * gives (ids are generated, so leave them out); a collection left out must have no new records.
 */
export const ExpectedState = z.object({
  orders: z.array(SandboxOrder.partial().required({ order_id: true })).optional(),
  tickets: z.array(RepairTicket.partial()).optional(),
  returns: z.array(ReturnRecord.partial()).optional(),
  address_changes: z.array(AddressChange.partial()).optional(),
  transfers: z.array(Transfer.partial()).optional(),
});
export type ExpectedState = z.infer<typeof ExpectedState>;

export interface StateVerdict {
  pass: boolean;
  /** One sentence per difference, for a reviewer. */
  mismatches: string[];
}

const matches = (row: Row, want: Row) => Object.entries(want).every(([k, v]) => v === undefined || JSON.stringify(row[k]) === JSON.stringify(v));

/** Checks the final state against the expected one (see ExpectedState). */
export function checkFinalState(initial: BackOfficeState, final: BackOfficeState, expected: ExpectedState): StateVerdict {
  const mismatches: string[] = [];
  const listed = new Map((expected.orders ?? []).map((o) => [o.order_id, o]));
  const before = new Map(initial.orders.map((o) => [o.order_id, o]));
  for (const order of final.orders) {
    const want = listed.get(order.order_id);
    if (want !== undefined) {
      if (!matches(order, want)) mismatches.push(`order ${order.order_id}: expected ${JSON.stringify(want)}, got ${JSON.stringify(order)}`);
      listed.delete(order.order_id);
    } else if (JSON.stringify(before.get(order.order_id)) !== JSON.stringify(order)) {
      mismatches.push(`order ${order.order_id} changed but was expected unchanged`);
    }
  }
  for (const id of listed.keys()) mismatches.push(`order ${id} is not on the account`);

  for (const collection of ['tickets', 'returns', 'address_changes', 'transfers'] as const) {
    const old = new Set((initial[collection] as Row[]).map((r) => JSON.stringify(r)));
    const created = (final[collection] as Row[]).filter((r) => !old.has(JSON.stringify(r)));
    const wanted = (expected[collection] ?? []) as Row[];
    const unmatched = [...created];
    for (const want of wanted) {
      const i = unmatched.findIndex((r) => matches(r, want));
      if (i < 0) mismatches.push(`${collection}: no record matching ${JSON.stringify(want)}`);
      else unmatched.splice(i, 1);
    }
    for (const extra of unmatched) mismatches.push(`${collection}: unexpected ${JSON.stringify(extra)}`);
  }
  return { pass: mismatches.length === 0, mismatches };
}
