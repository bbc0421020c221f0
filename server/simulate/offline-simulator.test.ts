import { describe, expect, it } from 'vitest';
import type { Turn } from '../domain/dialogue.ts';
import { Scenario, type ScenarioInput } from '../scenarios/scenario.ts';
import { slotsAsked } from './asks.ts';
import { createOfflineSimulator } from './offline-simulator.ts';

const base = (over: Partial<ScenarioInput> = {}): Scenario =>
  Scenario.parse({
    id: 'crack',
    language: 'en',
    contact_date: '2026-03-02',
    goal: { intent: 'screen_repair', outcome: 'repair_ticket', description: 'fix the screen' },
    persona: { emotion: 'calm', patience: 3 },
    knows: { order_id: 'DD20260209111111', product: 'Nova X5 phone', bought: 'three weeks ago', new_address: '12 Harbour Road, Leeds LS1 4AB' },
    customer: null,
    script: ['My phone screen cracked, can you fix it?', 'It still works otherwise.'],
    expected: { escalation: false, state: { tickets: [{ order_id: 'DD20260209111111', charge: 'free' }] } },
    ...over,
  });

/** Plays the customer against fixed agent replies, returning every move. */
async function play(scenario: Scenario, agentReplies: string[], seed = 7, trial = 1) {
  const session = createOfflineSimulator().start(scenario, { seed, trial });
  const turns: Turn[] = [];
  const moves = [await session.next(turns)];
  turns.push({ role: 'customer', text: moves[0]!.text! });
  for (const reply of agentReplies) {
    turns.push({ role: 'agent', text: reply });
    const move = await session.next(turns);
    moves.push(move);
    if (move.text) turns.push({ role: 'customer', text: move.text });
    if (move.stop) break;
  }
  return moves;
}

describe('offline simulated customer', () => {
  it('opens with the first script turn', async () => {
    const [opener] = await play(base(), []);
    expect(opener).toMatchObject({ text: 'My phone screen cracked, can you fix it?', stop: false, emotion: 'calm', patience: 3 });
  });

  it('answers a question about the order number from what it knows', async () => {
    const [, answer] = await play(base(), ["I'm sorry to hear that. Could you give me the order number so I can check?"]);
    expect(answer!.text).toContain('DD20260209111111');
    expect(answer).toMatchObject({ stop: false, emotion: 'calm', patience: 3, events: [] });
  });

  it('gets upset when asked twice for the order number it already gave', async () => {
    const ask = 'Could you give me the order number, please?';
    const [, first, second, third] = await play(base(), [ask, ask, ask]);
    expect(first).toMatchObject({ emotion: 'calm', patience: 3 });
    expect(second!.events).toEqual(['repeated_ask:order_id']);
    expect(second).toMatchObject({ emotion: 'frustrated', patience: 2 });
    expect(second!.text).toMatch(/^(I already told you|I've said this already)/);
    expect(second!.text).toContain('DD20260209111111');
    expect(third).toMatchObject({ emotion: 'angry', patience: 1 });
  });

  it('in Chinese too: answers the order number, then complains when asked again', async () => {
    const zh = base({ language: 'zh', knows: { order_id: 'DD20260209111111' }, script: ['我的手机屏幕碎了'] });
    const [, first, second] = await play(zh, ['麻烦提供一下订单号，我帮您核实。', '请问订单号是多少？']);
    expect(first!.text).toMatch(/订单号是?DD20260209111111/);
    expect(second!.text).toMatch(/^(不是说过了吗？|我都说了，)/);
    expect(second!.emotion).toBe('frustrated');
  });

  it('says yes or no to an offer as the goal wants, and gives the address last', async () => {
    const offer = "It's out of warranty, so it's a paid repair. Shall I book the paid repair for you?";
    expect((await play(base(), [offer]))[1]!.text).toMatch(/^Yes/);
    expect((await play(base({ knows: { accepts_offer: false } }), [offer]))[1]!.text).toMatch(/^No/);
    const both = (await play(base(), ['Sure, could you send me the order number and the new address?']))[1]!.text!;
    expect(both).toMatch(/DD20260209111111.*The new address is 12 Harbour Road, Leeds LS1 4AB$/);
  });

  it('stops with the goal met once the bot confirms it, not when it only asks', async () => {
    const moves = await play(base(), ['Which phone is it?', "I've opened repair ticket RT20260302-0001 for you: it's a free repair."]);
    expect(moves[1]).toMatchObject({ stop: false });
    expect(moves[2]).toMatchObject({ stop: true, reason: 'goal_met' });
    expect(slotsAsked('To recommend a plan, how much data do you use a month?', 'en')).toEqual(['data']);
  });

  it('when ignored, says the rest of its script, then runs out of patience, asks for a person and leaves', async () => {
    const moves = await play(base({ persona: { emotion: 'calm', patience: 2 } }), ['We value your business.', 'We value your business.', 'We value your business.', 'We value your business.']);
    expect(moves[1]).toMatchObject({ text: 'It still works otherwise.', events: ['ignored', 'script'], patience: 1, emotion: 'frustrated' });
    expect(moves[2]!.events).toEqual(['ignored', 'asked_for_human']);
    expect(moves[2]!.text).toMatch(/human|real person/);
    expect(moves[3]).toMatchObject({ stop: true, reason: 'gave_up' });
  });

  it('is deterministic under a seed', async () => {
    const replies = ['Could you give me the order number?', 'Could you give me the order number?', "I've opened repair ticket RT20260302-0001."];
    expect(await play(base(), replies, 11, 2)).toEqual(await play(base(), replies, 11, 2));
  });
});
