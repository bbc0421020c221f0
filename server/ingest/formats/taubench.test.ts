import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DialogueInput } from '../../domain/dialogue.ts';
import { convertTaubenchDisplay, splitMessages, taubenchReader } from './taubench.ts';
import { dataPath, headOf, makeTempDir, readAll } from '../../test-support/format-readers.ts';

const RETAIL = dataPath('tau-bench-retail/retail-dialogues.jsonl');
const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

const display = (...lines: string[]) => lines.join('\n');

describe('splitMessages', () => {
  it('starts a message at a role prefix and appends any other line to the previous message', () => {
    expect(splitMessages(display('user: hi', 'assistant: Sure:', '', '1. one', '2. two', 'tool: ', 'user: ok: thanks'))).toEqual([
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: 'Sure:\n\n1. one\n2. two' },
      { role: 'tool', text: '' },
      { role: 'user', text: 'ok: thanks' },
    ]);
    expect(splitMessages('hello\nuser: hi')).toBeUndefined();
  });
});

describe('convertTaubenchDisplay', () => {
  it('drops `assistant: None`, names tools from their output, cuts control tokens', () => {
    const order = (status: string, extra = {}) => JSON.stringify({ order_id: '#W1', user_id: 'mia_li_1234', status, items: [], address: {}, payment_history: [], ...extra });
    const result = convertTaubenchDisplay(
      display(
        'user: I want to return my order.',
        'assistant: None',
        'tool: mia_li_1234',
        'assistant: None',
        `tool: ${order('delivered')}`,
        'assistant: None',
        `tool: ${order('return requested')}`,
        'assistant: None',
        'tool: ',
        'assistant: Done. Your return is on its way.',
        'Anything else?',
        'user: No, thanks! ###STOP###',
      ),
    );
    expect('value' in result).toBe(true);
    if (!('value' in result)) return;
    expect(result.value.turns).toEqual([
      { role: 'customer', text: 'I want to return my order.' },
      { role: 'tool', name: 'find_user_id', text: 'mia_li_1234' },
      { role: 'tool', name: 'get_order_details', text: order('delivered') },
      { role: 'tool', name: 'return_delivered_order_items', text: order('return requested') },
      { role: 'agent', agent_kind: 'bot', text: 'Done. Your return is on its way.\nAnything else?' },
      { role: 'customer', text: 'No, thanks!' },
    ]);
    expect(result.value).toMatchObject({
      customer_id: 'mia_li_1234',
      language: 'en',
      outcome: { escalated: false },
      metadata: { dataset: 'tau-bench-retail', inferred_actions: ['return_delivered_order_items'], intent: 'return' },
    });
    expect(result.value.id).toMatch(/^taubench-[0-9a-f]{16}$/);
  });

  it('marks a transfer to a human as escalated and leaves intent unset when actions disagree', () => {
    const r = convertTaubenchDisplay(display('user: help', 'assistant: None', 'tool: Transfer successful', 'assistant: A human will help you.'));
    expect('value' in r && r.value).toMatchObject({ outcome: { escalated: true }, metadata: { intent: 'transfer_to_human' } });
    expect('value' in r && r.value.customer_id).toBeUndefined();
    const o = (status: string, id: string) => JSON.stringify({ order_id: id, status, items: [], address: {}, payment_history: [] });
    const mixed = convertTaubenchDisplay(
      display('user: x', 'tool: ' + o('pending', '#A'), 'tool: ' + o('cancelled', '#A'), 'tool: ' + o('delivered', '#B'), 'tool: ' + o('exchange requested', '#B')),
    );
    expect('value' in mixed && mixed.value.metadata).toEqual({
      dataset: 'tau-bench-retail',
      inferred_actions: ['cancel_pending_order', 'exchange_delivered_order_items'],
    });
  });

  it('is bad when the display has no role prefix or no text', () => {
    expect(convertTaubenchDisplay('just text')).toEqual({ reason: expect.stringMatching(/does not start with/) });
    expect(convertTaubenchDisplay('assistant: None\ntool: ')).toEqual({ reason: 'messages_display holds no message with text' });
  });
});

describe('taubenchReader', () => {
  it('reads the 69 real retail dialogues, all valid, with ids stable across reads', async () => {
    const { dialogues, bad } = await readAll(taubenchReader, { path: RETAIL });
    expect(bad).toEqual([]);
    expect(dialogues).toHaveLength(69);
    expect(new Set(dialogues.map((d) => d.id)).size).toBe(69);
    expect(dialogues.map((d) => d.line)).toEqual(Array.from({ length: 69 }, (_, i) => i + 1));
    for (const d of dialogues) expect(DialogueInput.safeParse(d).success).toBe(true);
    expect(dialogues.every((d) => d.turns.every((t) => t.text.trim() !== 'None' && !t.text.includes('###STOP###')))).toBe(true);
    expect(dialogues.filter((d) => d.outcome?.escalated)).toHaveLength(4);
    expect(dialogues.filter((d) => d.customer_id)).toHaveLength(68);
    const again = await readAll(taubenchReader, { path: RETAIL });
    expect(again.dialogues.map((d) => d.id)).toEqual(dialogues.map((d) => d.id));
  });

  it('reads the first real dialogue as expected', async () => {
    const { dialogues } = await readAll(taubenchReader, { path: RETAIL });
    const first = dialogues[0]!;
    expect(first.customer_id).toBe('isabella_lopez_6490');
    expect(first.turns[0]).toEqual({ role: 'customer', text: 'Hi, I was wondering how I can check the balance on my gift card?' });
    expect(first.turns.filter((t) => t.role === 'tool').map((t) => t.name)).toEqual([
      'find_user_id',
      'get_user_details',
      'get_order_details',
      'modify_pending_order_payment',
    ]);
    expect(first.metadata).toMatchObject({ intent: 'change_payment_method' });
    expect(first.turns.at(-1)).toEqual({ role: 'customer', text: "Thank you so much! That's all I needed." });
  });

  it('reports bad lines of a corrupted copy with their line numbers', async () => {
    const real = readFileSync(RETAIL, 'utf8').split('\n').filter(Boolean);
    const path = tmp.file(
      'corrupted.jsonl',
      Buffer.concat([
        Buffer.from(`${real[0]}\n`), // 1
        Buffer.from(`${real[1]!.slice(0, 300)}\n`), // 2: truncated
        Buffer.from('{"messages": "user: hi"}\n'), // 3: missing field
        Buffer.from('{"messages_display": "user: caf'), // 4: invalid UTF-8
        Buffer.from([0xe9]),
        Buffer.from('"}\n'),
        Buffer.from('\n'), // 5: blank
        Buffer.from(`${real[2]}\n`), // 6
      ]),
    );
    const { dialogues, bad } = await readAll(taubenchReader, { path });
    expect(dialogues.map((d) => d.line)).toEqual([1, 6]);
    expect(bad.map((b) => [b.line, b.reason])).toEqual([
      [2, expect.stringMatching(/^invalid JSON: /)],
      [3, 'no messages_display (a string)'],
      [4, 'invalid UTF-8'],
    ]);
  });

  it('is detected by sniffing, even when the first line is longer than the head', () => {
    expect(taubenchReader.sniff(headOf(RETAIL), RETAIL)).toBe(true);
    expect(taubenchReader.sniff(`{"messages_display": "user: ${'x'.repeat(70_000)}`, 'x.jsonl')).toBe(true);
    expect(taubenchReader.sniff('{"id":"a","turns":[]}\n', 'x.jsonl')).toBe(false);
  });
});
