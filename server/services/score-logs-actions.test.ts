import { describe, expect, it } from 'vitest';
import type { Dialogue, Turn } from '../domain/dialogue.ts';
import { createScorers } from '../scorers/registry.ts';
import { taubenchDialogues } from '../test-support/taubench-logs.ts';
import { judgeDialogue } from './score-logs.ts';

// Logged dialogues scored with the rule-based accuracy: a bot's reply to the customer's last message is
// held to the actions its log shows; a human agent's is not (they act where no log shows it).
const ctx = { models: { models: {}, sources: {} }, ruleScorers: new Map(createScorers(['accuracy']).map((s) => [s.name, s])) };

function dialogue(id: string, turns: Turn[]): Dialogue {
  return { id, language: 'en', channel: 'web', source: 'production', started_at: '2026-03-02T10:00:00Z', turns, metadata: { reference_answer: 'Your order is cancelled and the refund goes back to your card.' } } as unknown as Dialogue;
}

const ask: Turn = { role: 'customer', text: 'Please cancel order DD20260301000001, I ordered it by mistake.' };
const said = (agent_kind: 'bot' | 'human' = 'bot'): Turn => ({ role: 'agent', agent_kind, text: "Done: I've cancelled order DD20260301000001 and refunded you." });
const tool = (name: string, result: unknown): Turn => ({ role: 'tool', name, text: JSON.stringify(result) });

const accuracyReason = async (turns: Turn[]) => (await judgeDialogue(dialogue('d-1', turns), ['accuracy'], ctx)).reasons.accuracy ?? '';

describe('whole-dialogue accuracy: actions a logged bot says it took', () => {
  it('flags a bot that says it cancelled with no tool call, or with one the back office refused', async () => {
    expect(await accuracyReason([ask, said()])).toMatch(/I've cancelled.*took no action/);
    expect(await accuracyReason([ask, tool('cancel_order', { ok: false, refused: 'already_shipped', message: 'shipped' }), said()])).toMatch(/took no action/);
  });

  it('believes a bot whose logged tool call cancelled it, and a human agent, and a bot that called a tool of unknown kind', async () => {
    for (const turns of [[ask, tool('cancel_order', { ok: true, status: 'cancelled' }), said()], [ask, said('human')], [ask, tool('crm_update', { ok: true }), said()]]) {
      expect(await accuracyReason(turns)).not.toMatch(/took no action/);
    }
  });

  it('on tau-bench, holds every agent reply to what its log shows: few flags as logged, most of the acting replies flagged once their tool calls are taken out', async () => {
    const flags = async (id: string, turns: Turn[]) => /took no action/.test((await judgeDialogue({ ...dialogue(id, turns), metadata: {} }, ['accuracy'], ctx)).reasons.accuracy ?? '');
    let replies = 0;
    let flaggedAsLogged = 0;
    let acting = 0;
    let flaggedWithoutTools = 0;
    for (const [i, turns] of taubenchDialogues().entries()) {
      // Each agent reply, as the end of the dialogue so far.
      for (const [j, turn] of turns.entries()) {
        if (turn.role !== 'agent') continue;
        const prefix = turns.slice(0, j + 1);
        replies++;
        if (await flags(`tau-${i}-${j}`, prefix)) flaggedAsLogged++;
        const asked = prefix.findLastIndex((t) => t.role === 'customer');
        const segment = prefix.slice(asked + 1);
        if (!segment.some((t) => t.role === 'tool' && ['cancel_pending_order', 'return_delivered_order_items', 'exchange_delivered_order_items', 'modify_pending_order_items', 'modify_pending_order_address', 'modify_pending_order_payment', 'modify_user_address'].includes(t.name ?? ''))) continue;
        acting++;
        if (await flags(`tau-${i}-${j}-hidden`, [...prefix.slice(0, asked + 1), ...segment.filter((t) => t.role !== 'tool')])) flaggedWithoutTools++;
      }
    }
    // 2026-12-07: 503 replies, 2 flagged as logged; 77 answer a message with an acting call, 59 of them
    // flagged once it is hidden (of the other 18: 3 state no action, 15 follow an earlier action of the
    // same dialogue, which they may restate, so they are never flagged).
    expect(replies).toBeGreaterThan(450);
    expect(flaggedAsLogged / replies).toBeLessThanOrEqual(0.01);
    expect(acting).toBeGreaterThan(50);
    expect(flaggedWithoutTools / acting).toBeGreaterThanOrEqual(0.7);
  });
});
