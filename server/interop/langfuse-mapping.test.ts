import { describe, expect, it } from 'vitest';
import { DialogueInput } from '../domain/dialogue.ts';
import { mapToDialogues, messagesOf, outcomeOf, type LangfuseObservation, type LangfuseScore } from './langfuse-mapping.ts';

const gen = (o: Partial<LangfuseObservation> & Pick<LangfuseObservation, 'id' | 'startTime'>): LangfuseObservation => ({ type: 'GENERATION', traceId: `t-${o.id}`, ...o });
const score = (s: Partial<LangfuseScore> & Pick<LangfuseScore, 'name' | 'value'>): LangfuseScore => ({
  id: `${s.name}-${String(s.value)}`,
  dataType: typeof s.value === 'boolean' ? 'BOOLEAN' : 'NUMERIC',
  timestamp: '2026-11-02T00:00:00Z',
  ...s,
});

const sys = { role: 'system', content: '你是客服助手。' };
const u1 = { role: 'user', content: '我的快递三天没动了' };
const a1 = { role: 'assistant', content: '您好，请提供运单号。' };
const u2 = { role: 'user', content: '运单号 SF123456' };
const call = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'track_parcel', arguments: '{}' } }] };
const tool = { role: 'tool', tool_call_id: 'c1', content: '{"status":"in transit"}' };
const a2 = { role: 'assistant', content: '包裹在运输中，预计明天送达。' };

describe('Langfuse generations as dialogues', () => {
  it('groups a session into one dialogue, in time order, counting the repeated history once (zh)', () => {
    // Out of order on purpose: the API returns the newest first.
    const observations = [
      gen({ id: 'g3', traceId: 't2', sessionId: 's1', userId: 'c-1', startTime: '2026-11-02T01:01:02Z', endTime: '2026-11-02T01:01:03Z', input: JSON.stringify([sys, u1, a1, u2, call, tool]), output: JSON.stringify(a2) }),
      gen({ id: 'g1', traceId: 't1', sessionId: 's1', userId: 'c-1', startTime: '2026-11-02T01:00:00Z', endTime: '2026-11-02T01:00:02Z', input: JSON.stringify([sys, u1]), output: JSON.stringify(a1) }),
      gen({ id: 'g2', traceId: 't2', sessionId: 's1', userId: 'c-1', startTime: '2026-11-02T01:01:00Z', endTime: '2026-11-02T01:01:01Z', input: JSON.stringify([sys, u1, a1, u2]), output: JSON.stringify(call) }),
    ];
    const { dialogues } = mapToDialogues(observations);
    expect(dialogues).toHaveLength(1);
    const d = dialogues[0]!;
    expect(d.id).toBe('langfuse-s1');
    expect(d.customer_id).toBe('c-1');
    expect(d.started_at).toBe('2026-11-02T01:00:00.000Z');
    expect(d.turns.map((t) => [t.role, t.text, t.name])).toEqual([
      ['customer', u1.content, undefined],
      ['agent', a1.content, undefined],
      ['customer', u2.content, undefined],
      ['tool', tool.content, 'track_parcel'],
      ['agent', a2.content, undefined],
    ]);
    expect(d.turns[1]).toMatchObject({ agent_kind: 'bot', at: '2026-11-02T01:00:02.000Z' });
    expect(d.turns[0]!.at).toBe('2026-11-02T01:00:00.000Z');
    expect(d.metadata).toEqual({ langfuse: { session_id: 's1', trace_ids: ['t1', 't2'] } });
    expect(DialogueInput.safeParse(d).success).toBe(true);
  });

  it('makes each trace without a session a dialogue, and keeps turns when a generation sends only the new message (en)', () => {
    const observations = [
      gen({ id: 'a', traceId: 'tA', userId: 'u-9', startTime: '2026-11-03T10:00:00Z', input: [{ role: 'user', content: 'Where is my refund?' }], output: 'It was sent on Monday.' }),
      gen({ id: 'b', traceId: 'tA', userId: 'u-9', startTime: '2026-11-03T10:01:00Z', input: [{ role: 'user', content: 'It has not arrived.' }], output: { role: 'assistant', content: 'Let me escalate this to a colleague.' } }),
      gen({ id: 'c', traceId: 'tB', startTime: '2026-11-03T11:00:00Z', input: 'Do you ship to Canada?', output: { choices: [{ message: { role: 'assistant', content: 'Yes, we do.' } }] } }),
      { id: 'span', traceId: 'tB', type: 'SPAN', startTime: '2026-11-03T11:00:00Z', input: { q: 'x' } },
    ];
    const { dialogues } = mapToDialogues(observations);
    expect(dialogues.map((d) => d.id)).toEqual(['langfuse-tA', 'langfuse-tB']);
    expect(dialogues[0]!.turns.map((t) => `${t.role}: ${t.text}`)).toEqual([
      'customer: Where is my refund?',
      'agent: It was sent on Monday.',
      'customer: It has not arrived.',
      'agent: Let me escalate this to a colleague.',
    ]);
    expect(dialogues[0]!.customer_id).toBe('u-9');
    expect(dialogues[1]!.customer_id).toBeUndefined();
    expect(dialogues[1]!.turns.map((t) => t.text)).toEqual(['Do you ship to Canada?', 'Yes, we do.']);
  });

  it('reads content parts, drops system prompts and empty messages, and counts generations with no text', () => {
    expect(messagesOf({ messages: [sys, { role: 'user', content: [{ type: 'text', text: '发票' }, { type: 'image_url', image_url: { url: 'x' } }] }] }, 'customer')).toEqual([{ role: 'customer', text: '发票' }]);
    expect(messagesOf('not json {', 'agent')).toEqual([{ role: 'agent', text: 'not json {' }]);
    const { dialogues, empty } = mapToDialogues([gen({ id: 'e', startTime: '2026-11-03T11:00:00Z', input: [sys], output: null })]);
    expect(dialogues).toEqual([]);
    expect(empty).toBe(1);
  });

  it('keeps scores as the outcome: csat 1–5, resolved and escalated booleans, the latest winning, all in metadata', () => {
    const observations = [
      gen({ id: 'g1', traceId: 't1', sessionId: 's-en', startTime: '2026-11-02T01:00:00Z', input: [{ role: 'user', content: 'My card was declined.' }], output: 'Please try again now.' }),
      gen({ id: 'g2', traceId: 't2', startTime: '2026-11-02T02:00:00Z', input: [{ role: 'user', content: '退货流程是什么？' }], output: '请在订单页申请退货。' }),
    ];
    const scores = [
      score({ name: 'csat', value: 2, timestamp: '2026-11-02T03:00:00Z', subject: { kind: 'trace', id: 't1' } }),
      score({ name: 'csat', value: 4, timestamp: '2026-11-02T04:00:00Z', subject: { kind: 'trace', id: 't1' } }),
      score({ name: 'resolved', value: true, subject: { kind: 'session', id: 's-en' } }),
      score({ name: 'Escalated', value: 0, subject: { kind: 'observation', id: 'g1', traceId: 't1' } }),
      score({ name: 'user_feedback', value: 5, subject: { kind: 'trace', id: 't2' } }),
      score({ name: 'helpfulness', value: 0.9, subject: { kind: 'trace', id: 't2' } }),
    ];
    const { dialogues } = mapToDialogues(observations, scores);
    expect(dialogues[0]).toMatchObject({ id: 'langfuse-s-en', outcome: { csat: 4, resolved: true, escalated: false } });
    expect(dialogues[1]).toMatchObject({ id: 'langfuse-t2', outcome: { csat: 5 } });
    expect((dialogues[1]!.metadata as { langfuse: { scores: unknown[] } }).langfuse.scores).toEqual([
      { name: 'helpfulness', value: 0.9 },
      { name: 'user_feedback', value: 5 },
    ]);
  });

  it('does not read a 0/1 thumbs feedback or an out-of-scale csat as a 1–5 rating', () => {
    const fb = (value: number, id: string) => score({ id, name: 'user-feedback', value, subject: { kind: 'trace', id: 't' } });
    expect(mapToDialogues([gen({ id: 'g', traceId: 't', startTime: '2026-11-02T01:00:00Z', input: 'hi', output: 'hello' })], [fb(1, 'x'), fb(0, 'y')]).dialogues[0]!.outcome).toBeUndefined();
    expect(outcomeOf([score({ name: 'csat', value: 0.8 }), score({ name: 'csat', value: 7 })])).toEqual({});
    expect(outcomeOf([score({ name: 'resolved', value: 'maybe' as never })])).toEqual({});
  });
});
