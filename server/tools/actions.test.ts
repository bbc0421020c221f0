import { describe, expect, it } from 'vitest';
import { actionsLogged, actionsTaken, toolKind, toolTurnActed } from './actions.ts';

describe('what a bot did in the back office', () => {
  it("knows firstcall's tools and the tau-bench reader's names, and reads other logs' lookups by their verb", () => {
    expect(['cancel_order', 'create_return', 'transfer_to_human', 'cancel_pending_order', 'modify_user_address'].map(toolKind)).toEqual(['acts', 'acts', 'acts', 'acts', 'acts']);
    expect(['lookup_customer', 'get_order_details', 'lookup_tracking', 'search_kb', 'check_status'].map(toolKind)).toEqual(['reads', 'reads', 'reads', 'reads', 'reads']);
    expect([toolKind('crm_update'), toolKind('action'), toolKind(undefined)]).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('counts a logged call that failed or was refused as no action, and one of unknown kind as a maybe', () => {
    expect(toolTurnActed({ name: 'cancel_order', text: '{"ok":true,"status":"cancelled"}' })).toBe('yes');
    expect(toolTurnActed({ name: 'cancel_order', text: '{"ok":false,"refused":"already_shipped","message":"shipped"}' })).toBe('no');
    expect(toolTurnActed({ name: 'tool', text: 'Error: order not found' })).toBe('no');
    expect(toolTurnActed({ name: 'crm_update', text: '{"error":"timeout"}' })).toBe('no');
    expect(toolTurnActed({ name: 'crm_update', text: '操作失败' })).toBe('maybe');
    expect(toolTurnActed({ name: 'crm_update', text: '失败：订单不存在' })).toBe('no');
    expect(toolTurnActed({ name: 'crm_update', text: '{"ok":true}' })).toBe('maybe');
  });

  it("lists a candidate's acting calls that went through, and its hand-off", () => {
    const calls = [
      { name: 'lookup_customer', arguments: {}, result: { ok: true } },
      { name: 'cancel_order', arguments: {}, result: { ok: false, refused: 'already_shipped', message: 'shipped' } },
      { name: 'create_return', arguments: {}, result: { ok: true } },
    ];
    expect(actionsTaken(calls, null)).toEqual(['create_return']);
    expect(actionsTaken(undefined, { queue: 'human' })).toEqual(['handoff']);
  });

  it("reads a logged bot's actions after the customer's last message, and nothing for a human agent's reply", () => {
    const ask = { role: 'customer' as const, text: 'cancel it' };
    const bot = { role: 'agent' as const, agent_kind: 'bot' as const, text: "I've cancelled it." };
    const cancelled = { role: 'tool' as const, name: 'cancel_order', text: '{"ok":true}' };
    expect(actionsLogged([ask, cancelled, bot], null)).toEqual(['cancel_order']);
    expect(actionsLogged([cancelled, ask, bot], null)).toEqual([]);
    expect(actionsLogged([ask, { ...bot, agent_kind: 'human' as const }], null)).toBeUndefined();
    expect(actionsLogged([ask, { role: 'tool' as const, name: 'crm_update', text: '{}' }, bot], null)).toBeUndefined();
    expect(actionsLogged([ask], null)).toBeUndefined();
  });
});
