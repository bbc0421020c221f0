import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Customer, DialogueInput } from '../../domain/dialogue.ts';
import { abcdReader, convertAbcdConversation } from './abcd.ts';
import { dataPath, headOf, makeTempDir, readAll } from '../../test-support/format-readers.ts';

const SAMPLE = dataPath('abcd-sample/abcd_sample.json');
const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

const conversations = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Array<Record<string, unknown>>;

describe('abcdReader on the real sample', () => {
  it('reads the 3 conversations and a customer for each one with a username', async () => {
    const { dialogues, customers, bad, items } = await readAll(abcdReader, { path: SAMPLE });
    expect(bad).toEqual([]);
    expect(dialogues.map((d) => d.id)).toEqual(['abcd-3592', 'abcd-9489', 'abcd-3695']);
    expect(customers.map((c) => c.customer_id)).toEqual(['cminh730', 'aphoenix939']);
    // Each customer comes right before its dialogue.
    expect(items.map((i) => i.kind)).toEqual(['customer', 'dialogue', 'customer', 'dialogue', 'dialogue']);
    for (const d of dialogues) expect(DialogueInput.safeParse(d).success).toBe(true);
    for (const c of customers) expect(Customer.safeParse(c).success).toBe(true);
  });

  it('maps speakers, scenario and profile', async () => {
    const { dialogues, customers } = await readAll(abcdReader, { path: SAMPLE });
    const first = dialogues[0]!;
    const original = conversations[0]!.original as Array<[string, string]>;
    expect(first.turns).toHaveLength(original.length);
    expect(first.turns.slice(0, 3)).toEqual([
      { role: 'agent', agent_kind: 'human', text: 'Hi!' },
      { role: 'agent', agent_kind: 'human', text: 'How can I help you?' },
      { role: 'customer', text: 'Hi! I need to return an item, can you help me with that?' },
    ]);
    expect(first.turns[6]).toEqual({ role: 'tool', name: 'action', text: 'Account has been pulled up for Crystal Minh.' });
    expect(first).toMatchObject({
      line: 1,
      customer_id: 'cminh730',
      language: 'en',
      metadata: { dataset: 'abcd', convo_id: 3592, intent: 'product_defect', subflow: 'return_size' },
    });
    expect(first.channel).toBeUndefined(); // canonical default: unknown
    expect(customers[0]).toEqual({
      line: 1,
      customer_id: 'cminh730',
      name: 'crystal minh',
      tier: 'standard',
      purchases: [{ product: 'michael_kors jeans', purchased_at: '2019-11-06', warranty_months: 12, order_id: '3348917502', price: 94, category: 'jeans' }],
    });
    expect(customers[1]).toMatchObject({ customer_id: 'aphoenix939', tier: 'gold' });
    // No username in the scenario: no customer record and no customer_id.
    expect(dialogues[2]!.customer_id).toBeUndefined();
    expect(dialogues[2]!.metadata).toMatchObject({ intent: 'storewide_query', subflow: 'timing_4' });
  });

  it('is detected by sniffing', () => {
    expect(abcdReader.sniff(headOf(SAMPLE), SAMPLE)).toBe(true);
    expect(abcdReader.sniff('{"id":"a","turns":[]}\n', 'x.jsonl')).toBe(false);
  });
});

describe('abcdReader on the upstream layout and on corrupted copies', () => {
  it('reads {"train": [...], "dev": [...], "test": [...]} and records the split', async () => {
    const [a, b, c] = conversations;
    const path = tmp.file('abcd_v1.1.json', JSON.stringify({ train: [a, b], dev: [c], test: [] }));
    expect(abcdReader.sniff(headOf(path), path)).toBe(true);
    const { dialogues, bad } = await readAll(abcdReader, { path });
    expect(bad).toEqual([]);
    expect(dialogues.map((d) => [d.id, d.metadata?.split])).toEqual([
      ['abcd-3592', 'train'],
      ['abcd-9489', 'train'],
      ['abcd-3695', 'dev'],
    ]);
  });

  it('reports bad conversations at their line and byte and keeps the good ones', async () => {
    const [a, b, c] = conversations.map((x) => JSON.stringify(x));
    const unknownSpeaker = JSON.stringify({ ...conversations[1], convo_id: 77, original: [['customer', 'hi'], ['robot', 'beep']] });
    const lines = [
      '[',
      `${a},`, // 2
      `${b!.replace('"flow":', '"flow" ')},`, // 3: a missing colon, brackets still balanced
      `${unknownSpeaker},`, // 4
      '{"no_convo": true},', // 5
      Buffer.concat([Buffer.from('{"convo_id": 5, "original": [["customer", "'), Buffer.from([0xe4, 0xb8]), Buffer.from('"]]},')]), // 6: invalid UTF-8
      `${c},`, // 7
      `${a!.slice(0, 5000)}`, // 8: truncated at the end of the file
    ];
    const path = tmp.file('corrupted.json', Buffer.concat(lines.map((l, i) => Buffer.concat([Buffer.from(l), Buffer.from(i < lines.length - 1 ? '\n' : '')]))));
    const { dialogues, bad } = await readAll(abcdReader, { path });
    expect(dialogues.map((d) => [d.id, d.line])).toEqual([
      ['abcd-3592', 2],
      ['abcd-3695', 7],
    ]);
    expect(bad.map((x) => [x.line, x.reason])).toEqual([
      [3, expect.stringMatching(/^invalid JSON in the element starting at byte \d+: /)],
      [4, expect.stringMatching(/^ABCD conversation 77: unknown speaker "robot" in original\[1\] \(element at byte \d+\)$/)],
      [5, expect.stringMatching(/^not an ABCD conversation: no convo_id/)],
      [6, expect.stringMatching(/^invalid UTF-8/)],
      [8, expect.stringMatching(/^truncated: the file ends/)],
    ]);
    expect(bad.every((x) => x.raw.length > 0 && x.raw.length <= 2000)).toBe(true);
  });

  it('maps member levels to tiers', () => {
    const tierOf = (level: string) => {
      const items = convertAbcdConversation({
        line: 1,
        offset: 0,
        value: { convo_id: 1, original: [['customer', 'hi']], scenario: { personal: { username: 'u1', member_level: level } } },
      });
      return items[0]!.kind === 'customer' ? (items[0]!.value as { tier?: string }).tier : undefined;
    };
    expect(['guest', 'bronze', 'silver', 'gold', 'platinum', 'diamond'].map(tierOf)).toEqual(['standard', 'standard', 'silver', 'gold', 'vip', undefined]);
  });
});
