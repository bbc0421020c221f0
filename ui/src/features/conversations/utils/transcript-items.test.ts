import { describe, expect, it } from 'vitest';
import { transcriptItems } from './transcript-items.ts';

describe('transcriptItems', () => {
  it('puts tool calls with their arguments before the reply that made them, and customer events on their move', () => {
    const items = transcriptItems({
      turns: [
        { role: 'customer', text: '我的订单地址填错了' },
        { role: 'tool', name: 'lookup_customer', text: '{"ok":true}' },
        { role: 'agent', text: '请问新地址是什么？' },
        { role: 'customer', text: '订单号是DD1' },
        { role: 'tool', name: 'change_delivery_address', text: '{"ok":true}' },
        { role: 'agent', text: '已为您修改。[[handoff:human]]' },
      ],
      tool_calls: [
        { name: 'lookup_customer', arguments: {}, result: { ok: true }, agent_turn: 1 },
        { name: 'change_delivery_address', arguments: { order_id: 'DD1', address: '上海' }, result: { ok: true }, agent_turn: 2 },
      ],
      customer_events: [['opened'], ['repeated_ask:order_id,which'], ['left']],
    });
    expect(items.map((i) => i.kind)).toEqual(['customer', 'tool', 'agent', 'customer', 'tool', 'agent', 'events']);
    expect(items[1]).toMatchObject({ kind: 'tool', call: { name: 'lookup_customer' }, agentTurn: 1 });
    expect(items[4]).toMatchObject({ kind: 'tool', call: { arguments: { order_id: 'DD1' } }, agentTurn: 2 });
    expect(items[3]).toMatchObject({ kind: 'customer', events: [{ kind: 'repeated_ask', slots: ['order_id', 'which'], upset: true }] });
    expect(items[5]).toMatchObject({ kind: 'agent', text: '已为您修改。', handoff: 'human', agentTurn: 2 });
    expect(items[6]).toMatchObject({ kind: 'events', events: [{ kind: 'left' }] });
  });

  it('keeps unknown events as they are', () => {
    const [item] = transcriptItems({ turns: [{ role: 'customer', text: 'hi' }], tool_calls: [], customer_events: [['mood:shrug']] });
    expect(item).toMatchObject({ kind: 'customer', events: [{ kind: 'other', raw: 'mood:shrug', upset: false }] });
  });
});
