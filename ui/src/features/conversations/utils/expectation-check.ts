// The end state against the expectation, item by item, the way the engine judges it
// (server/tools/sandbox.ts checkFinalState): each listed order field must have its value and no other
// order may change; the records a conversation created (tickets, returns, address changes,
// transfers) must match the listed ones one to one on the fields given; a collection left out must
// get no new record. Plus the escalation decision, the must_say phrases and the required facts.
import type { ConversationDetail } from '../../../lib/contract.ts';

type Row = Record<string, unknown>;

export type CheckItem =
  /** A listed order's field: expected value, value at the end. */
  | { kind: 'order_field'; key: string; field: string; expected: unknown; actual: unknown; ok: boolean }
  /** A listed order that is not on the account. */
  | { kind: 'order_missing'; key: string; expected: Row; ok: false }
  /** An order that changed although none of its fields was listed. */
  | { kind: 'order_changed'; key: string; fields: Record<string, { from: unknown; to: unknown }>; ok: false }
  /** A record the conversation should have created, and the one that matched it (null: none). */
  | { kind: 'record'; collection: string; expected: Row; actual: Row | null; ok: boolean }
  /** A record the conversation created that nothing expected. */
  | { kind: 'unexpected'; collection: string; actual: Row; ok: false }
  /** The expectation lists nothing, and nothing changed. */
  | { kind: 'nothing_changed'; ok: true }
  | { kind: 'escalation'; expected: boolean; actual: boolean; ok: boolean }
  | { kind: 'must_say'; phrase: string; ok: boolean }
  | { kind: 'fact'; fact: string; ok: boolean };

const RECORD_COLLECTIONS = ['tickets', 'returns', 'address_changes', 'transfers'];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const matches = (row: Row, want: Row) => Object.entries(want).every(([k, v]) => v === undefined || same(row[k], v));
const isRow = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const rowsOf = (v: unknown): Row[] => (Array.isArray(v) ? v.filter(isRow) : []);

/** The back-office items (null when the scenario has no expected state: the goal was judged on facts). */
export function stateChecks(c: Pick<ConversationDetail, 'expected' | 'final_state' | 'state_diff'>): CheckItem[] | null {
  const expected = c.expected.state;
  if (expected === null) return null;
  const items: CheckItem[] = [];

  const listed = new Map(rowsOf(expected.orders).map((o) => [String(o.order_id), o]));
  const finalOrders = new Map(rowsOf(c.final_state.orders).map((o) => [String(o.order_id), o]));
  for (const [id, want] of listed) {
    const order = finalOrders.get(id);
    if (!order) {
      items.push({ kind: 'order_missing', key: id, expected: want, ok: false });
      continue;
    }
    for (const [field, value] of Object.entries(want)) {
      if (field === 'order_id' || value === undefined) continue;
      items.push({ kind: 'order_field', key: id, field, expected: value, actual: order[field], ok: same(order[field], value) });
    }
  }
  for (const change of c.state_diff) {
    if (change.collection === 'orders' && !listed.has(change.key)) items.push({ kind: 'order_changed', key: change.key, fields: change.fields ?? {}, ok: false });
  }

  const collections = new Set([...RECORD_COLLECTIONS, ...Object.keys(expected).filter((k) => k !== 'orders'), ...c.state_diff.map((d) => d.collection).filter((k) => k !== 'orders')]);
  for (const collection of collections) {
    const unmatched = c.state_diff.filter((d) => d.collection === collection && d.op === 'added' && d.record).map((d) => d.record!);
    for (const want of rowsOf(expected[collection])) {
      const i = unmatched.findIndex((r) => matches(r, want));
      const actual = i >= 0 ? unmatched.splice(i, 1)[0]! : null;
      items.push({ kind: 'record', collection, expected: want, actual, ok: actual !== null });
    }
    for (const extra of unmatched) items.push({ kind: 'unexpected', collection, actual: extra, ok: false });
  }
  if (items.length === 0) items.push({ kind: 'nothing_changed', ok: true });
  return items;
}

/** The escalation decision, every must_say phrase and every required fact (coverage). */
export function conversationChecks(c: Pick<ConversationDetail, 'expected' | 'judgement'>): CheckItem[] {
  const j = c.judgement;
  return [
    { kind: 'escalation', expected: c.expected.escalation, actual: j.handed_off, ok: j.escalation_correct },
    ...c.expected.must_say.map((phrase): CheckItem => ({ kind: 'must_say', phrase, ok: !j.missing_must_say.includes(phrase) })),
    ...c.expected.required_facts.map((fact): CheckItem => ({ kind: 'fact', fact, ok: !j.required_facts_missing.includes(fact) })),
  ];
}

/** A value as a short readable string: strings as they are, null as —, anything else as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** A record as `field: value` pairs, in its own order. */
export function showRecord(row: Row | null): string {
  if (!row) return '—';
  return Object.entries(row)
    .map(([k, v]) => `${k}: ${showValue(v)}`)
    .join(' · ');
}
