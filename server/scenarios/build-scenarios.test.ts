import { describe, expect, it } from 'vitest';
import { Customer, DialogueInput, type ParsedDialogue } from '../domain/dialogue.ts';
import type { GoldLabel } from '../domain/label.ts';
import { generateCorpus } from '../synthetic/index.ts';
import { buildScenarios } from './build-scenarios.ts';
import { scenarioSetHash } from './scenario-set.ts';

function corpus(n: number, seed: number) {
  const dialogues: ParsedDialogue[] = [];
  const customers: Customer[] = [];
  for (const item of generateCorpus({ n, seed })) {
    if (item.kind === 'customer') customers.push(Customer.parse(item.customer));
    else dialogues.push(DialogueInput.parse(item.dialogue));
  }
  return { dialogues, customers };
}

const meta = (d: ParsedDialogue) => (d.metadata ?? {}) as Record<string, unknown>;

describe('buildScenarios from the synthetic ground truth', () => {
  const input = corpus(300, 42);
  const { scenarios, skipped } = buildScenarios(input);
  const bySource = (scenario: string) => scenarios.filter((s) => s.tags.includes(`synthetic:${scenario}`));
  const dialogueOf = (id: string | null) => input.dialogues.find((d) => d.id === id)!;

  it('expects a free repair ticket for the right order of an in-warranty cracked screen', () => {
    const list = bySource('screen_in_warranty');
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) {
      const orderId = meta(dialogueOf(s.source_dialogue_id)).order_id;
      expect(s.goal).toMatchObject({ intent: 'screen_repair', outcome: 'repair_ticket' });
      expect(s.expected.state?.tickets).toEqual([{ order_id: orderId, charge: 'free', issue_kind: 'screen_damage' }]);
      expect(s.knows.order_id).toBe(orderId);
      // The record is as of the contact date and carries no name.
      expect(s.customer?.purchases.every((p) => p.purchased_at <= s.contact_date)).toBe(true);
      expect(s.customer).not.toHaveProperty('name');
    }
  });

  it('expects no change for a refund outside the windows, and a hand-off added when a person is needed', () => {
    for (const s of bySource('refund_outside_window')) {
      expect(s.goal.outcome).toBe('refund_refused');
      expect(s.expected.state).toEqual(s.expected.escalation ? { transfers: [{}] } : {});
    }
    const handoffs = scenarios.filter((s) => s.tags.some((t) => t.startsWith('synthetic:complaint_') || t.startsWith('synthetic:human_request')));
    expect(handoffs.length).toBeGreaterThan(0);
    for (const s of handoffs) expect(s).toMatchObject({ goal: { outcome: 'human_handoff' }, expected: { state: { transfers: [{}] } } });
  });

  it('takes the new address the customer gave, and statuses that put the order before shipping', () => {
    const list = bySource('address_change_before_shipping');
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) {
      const id = s.knows.order_id!;
      expect(s.order_statuses[id]).toBe('processing');
      expect(s.script.join('\n')).toContain(s.knows.new_address!);
      expect(s.expected.state?.address_changes).toEqual([{ order_id: id, address: s.knows.new_address }]);
    }
  });

  it('uses the customer turns as the script, persona from the emotion, and skips repeats and tool-less intents', () => {
    for (const s of scenarios) {
      const d = dialogueOf(s.source_dialogue_id);
      const turns = d.turns.filter((t) => t.role === 'customer').map((t) => t.text);
      expect(turns.join('\n')).toContain(s.script.join('\n'));
      expect(s.persona.emotion).toBe(meta(d).emotion);
      expect(s.expected.escalation).toBe(meta(d).expected_escalation);
    }
    const reasons = new Set(skipped.map((s) => s.reason.replace(/scenario \S+$/, 'scenario X')));
    expect(reasons).toContain('a repeat contact: its episode is scenario-ised from the first contact');
    expect(reasons).toContain('no back-office end state for synthetic scenario X');
    expect(scenarios.length + skipped.length).toBe(input.dialogues.length);
  });

  it('is pure: the same inputs give the same scenarios and hash, and `include` selects dialogues', () => {
    const again = buildScenarios(corpus(300, 42));
    expect(scenarioSetHash(again.scenarios)).toBe(scenarioSetHash(scenarios));
    const some = buildScenarios(input, { include: (d) => d.language === 'zh', maxTurns: 5 });
    expect(some.scenarios.every((s) => s.language === 'zh' && s.max_turns === 5)).toBe(true);
  });
});

describe('buildScenarios from labeled dialogues', () => {
  const dialogue: ParsedDialogue = DialogueInput.parse({
    id: 'web/2026 0001',
    channel: 'web',
    customer_id: 'c-9',
    language: 'en',
    started_at: '2026-03-02T10:00:00+00:00',
    turns: [
      { role: 'customer', text: 'hi' },
      { role: 'agent', text: 'Hello, how can I help?' },
      { role: 'customer', text: 'My router keeps dropping the connection.' },
      { role: 'agent', text: 'Which router is it?' },
      { role: 'customer', text: 'The AX3000 I bought last month.' },
    ],
    outcome: { escalated: false, resolved: true },
  });
  const customer = Customer.parse({ customer_id: 'c-9', name: 'Jo Bloggs', tier: 'gold', purchases: [{ product: 'AX3000 router', purchased_at: '2026-02-01', warranty_months: 12, order_id: 'DD77' }, { product: 'later', purchased_at: '2026-04-01', warranty_months: 12 }] });
  const label = { dialogue_id: dialogue.id, intent: 'warranty_claim', fcr: 'no', escalation_needed: 'yes', required_facts: ['under warranty', 'free repair'] } as unknown as GoldLabel;

  it("takes the customer's turns as the script and the label's facts, escalation and outcome as the expectation", () => {
    const { scenarios, skipped } = buildScenarios({ dialogues: [dialogue], customers: [customer], goldLabels: [label] });
    expect(skipped).toEqual([]);
    const [s] = scenarios;
    expect(s).toMatchObject({
      id: 'dlg-web-2026-0001',
      source: 'labeled',
      source_dialogue_id: 'web/2026 0001',
      language: 'en',
      contact_date: '2026-03-02',
      script: ['My router keeps dropping the connection.', 'The AX3000 I bought last month.'],
      goal: { intent: 'warranty_claim', outcome: 'human_handoff' },
      persona: { tier: 'gold' },
      expected: { state: null, escalation: true, required_facts: ['under warranty', 'free repair'], resolved: false },
    });
    expect(s!.customer?.purchases.map((p) => p.product)).toEqual(['AX3000 router']);
  });

  it('skips a dialogue with neither a label nor ground truth, and one without an escalation decision', () => {
    const { scenarios, skipped } = buildScenarios({ dialogues: [dialogue], customers: [customer] });
    expect(scenarios).toEqual([]);
    expect(skipped).toEqual([{ dialogue_id: dialogue.id, reason: 'no escalation decision (no label, no ground truth)' }]);
  });
});
