import { describe, expect, it } from 'vitest';
import type { Customer } from '../domain/dialogue.ts';
import { createToolRunner } from './registry.ts';
import { checkFinalState, createSandbox, diffStates, seedFromCustomer } from './sandbox.ts';

const customer: Customer = {
  customer_id: 'c-2',
  tier: 'gold',
  purchases: [
    { product: 'Nova X5 phone (256 GB)', category: 'phone', purchased_at: '2026-02-09', warranty_months: 12, order_id: 'DD1', price: 549 },
    { product: 'Vista 55" 4K TV', category: 'tv', purchased_at: '2026-03-02', warranty_months: 24, order_id: 'DD2', price: 479 },
  ],
};

describe('sandbox', () => {
  it('is copy-on-write: tools change the copy, never the record or the initial state', async () => {
    const before = structuredClone(customer);
    const sandbox = createSandbox(seedFromCustomer(customer, '2026-03-02'));
    const initial = sandbox.initial;
    const tools = createToolRunner({ sandbox });
    await tools.call('create_repair_ticket', { order_id: 'DD1', issue: 'cracked screen', issue_kind: 'screen_damage' });
    await tools.call('cancel_order', { order_id: 'DD2' });
    expect(customer).toEqual(before);
    expect(sandbox.initial).toBe(initial);
    expect(initial.tickets).toEqual([]);
    expect(initial.orders[1]!.status).toBe('processing');
    expect(sandbox.state().orders[1]!.status).toBe('cancelled');
    expect(Object.isFrozen(sandbox.state().orders[0])).toBe(true);
    expect(() => (sandbox.state().tickets as unknown[]).push({})).toThrow();
  });

  it('diffs the final state against the initial one, record by record', async () => {
    const sandbox = createSandbox(seedFromCustomer(customer, '2026-03-02'));
    const tools = createToolRunner({ sandbox });
    await tools.call('change_delivery_address', { order_id: 'DD2', address: '12 Baker Street, London' });
    await tools.call('create_repair_ticket', { order_id: 'DD1', issue: 'cracked screen', issue_kind: 'screen_damage' });
    const changes = diffStates(sandbox.initial, sandbox.state());
    expect(changes).toEqual([
      { collection: 'orders', op: 'changed', key: 'DD2', fields: { delivery_address: { from: null, to: '12 Baker Street, London' } } },
      { collection: 'tickets', op: 'added', key: 'RT20260302-0001', record: expect.objectContaining({ order_id: 'DD1', charge: 'free', issue_kind: 'screen_damage' }) },
      { collection: 'address_changes', op: 'added', key: 'DD2#0', record: { order_id: 'DD2', address: '12 Baker Street, London', changed_on: '2026-03-02' } },
    ]);
  });

  it('checks the final state against the expected one (τ-bench style)', async () => {
    const sandbox = createSandbox(seedFromCustomer(customer, '2026-03-02'));
    const tools = createToolRunner({ sandbox });
    await tools.call('create_repair_ticket', { order_id: 'DD1', issue: 'cracked screen', issue_kind: 'screen_damage' });
    expect(checkFinalState(sandbox.initial, sandbox.state(), { tickets: [{ order_id: 'DD1', charge: 'free' }] })).toEqual({ pass: true, mismatches: [] });
    const wrong = checkFinalState(sandbox.initial, sandbox.state(), { tickets: [{ order_id: 'DD1', charge: 'paid' }], orders: [{ order_id: 'DD2', status: 'cancelled' }] });
    expect(wrong.pass).toBe(false);
    expect(wrong.mismatches).toHaveLength(3); // the order, the missing paid ticket, the unexpected free one
    // Nothing expected: any new record is a mismatch.
    expect(checkFinalState(sandbox.initial, sandbox.state(), {}).mismatches[0]).toMatch(/^tickets: unexpected/);
  });

  it('takes known fulfilment statuses over inferred ones', () => {
    const seed = seedFromCustomer(customer, '2026-03-02', { statuses: { DD2: 'shipped' } });
    expect(seed.orders.map((o) => o.status)).toEqual(['delivered', 'shipped']);
  });
});
