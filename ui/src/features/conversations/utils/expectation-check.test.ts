import { describe, expect, it } from 'vitest';
import { conversationChecks, showRecord, stateChecks } from './expectation-check.ts';

const orders = [{ order_id: 'DD1', status: 'processing', delivery_address: null }, { order_id: 'DD2', status: 'delivered' }];
const expected = {
  state: { orders: [{ order_id: 'DD1', delivery_address: '上海' }], address_changes: [{ order_id: 'DD1', address: '上海' }] },
  escalation: false,
  required_facts: ['已为您修改'],
  must_say: [],
  resolved: null,
};

describe('stateChecks', () => {
  it('marks every expected item met or not, and what was made that nobody expected', () => {
    const items = stateChecks({
      expected,
      final_state: { orders },
      state_diff: [{ collection: 'transfers', op: 'added', key: 'TR1', record: { transfer_id: 'TR1', queue: 'human' } }],
    })!;
    expect(items).toEqual([
      { kind: 'order_field', key: 'DD1', field: 'delivery_address', expected: '上海', actual: null, ok: false },
      { kind: 'record', collection: 'address_changes', expected: { order_id: 'DD1', address: '上海' }, actual: null, ok: false },
      { kind: 'unexpected', collection: 'transfers', actual: { transfer_id: 'TR1', queue: 'human' }, ok: false },
    ]);
  });

  it('passes when the end state matches, and flags orders that changed unlisted', () => {
    const items = stateChecks({
      expected,
      final_state: { orders: [{ ...orders[0], delivery_address: '上海' }, { order_id: 'DD2', status: 'cancelled' }] },
      state_diff: [
        { collection: 'orders', op: 'changed', key: 'DD1', fields: { delivery_address: { from: null, to: '上海' } } },
        { collection: 'orders', op: 'changed', key: 'DD2', fields: { status: { from: 'delivered', to: 'cancelled' } } },
        { collection: 'address_changes', op: 'added', key: 'DD1#0', record: { order_id: 'DD1', address: '上海', changed_on: '2026-03-02' } },
      ],
    })!;
    expect(items.map((i) => [i.kind, i.ok])).toEqual([
      ['order_field', true],
      ['order_changed', false],
      ['record', true],
    ]);
  });

  it('says "nothing changed" for an empty expectation, and null when there is none', () => {
    expect(stateChecks({ expected: { ...expected, state: {} }, final_state: {}, state_diff: [] })).toEqual([{ kind: 'nothing_changed', ok: true }]);
    expect(stateChecks({ expected: { ...expected, state: null }, final_state: {}, state_diff: [] })).toBeNull();
  });
});

describe('conversationChecks', () => {
  it('lists escalation, must_say and required facts', () => {
    const judgement = { handed_off: true, escalation_correct: false, missing_must_say: [], required_facts_missing: ['已为您修改'] };
    expect(conversationChecks({ expected: { ...expected, must_say: ['抱歉'] }, judgement: judgement as never })).toEqual([
      { kind: 'escalation', expected: false, actual: true, ok: false },
      { kind: 'must_say', phrase: '抱歉', ok: true },
      { kind: 'fact', fact: '已为您修改', ok: false },
    ]);
  });

  it('shows records as field: value pairs', () => {
    expect(showRecord({ order_id: 'DD1', charge: 'free', cost: 0 })).toBe('order_id: DD1 · charge: free · cost: 0');
  });
});
