import { afterAll, describe, expect, it } from 'vitest';
import { DialogueInput } from '../../domain/dialogue.ts';
import { dstc11Reader } from './dstc11.ts';
import { jsonlReader } from './jsonl.ts';
import { dataPath, headOf, makeTempDir, readAll } from '../../test-support/format-readers.ts';

const FINANCE = dataPath('dstc11-finance/test-utterances.jsonl');
const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

describe('dstc11Reader', () => {
  it('reads the 1,130 real utterances as one-turn dialogues with their intent', async () => {
    const { dialogues, bad, batchSizes } = await readAll(dstc11Reader, { path: FINANCE });
    expect(bad).toEqual([]);
    expect(dialogues).toHaveLength(1130);
    expect(new Set(dialogues.map((d) => d.id)).size).toBe(1130);
    expect(dialogues[0]).toEqual({
      line: 1,
      id: 'dstc11-finance_00327',
      language: 'en',
      turns: [{ role: 'customer', text: 'Hi i need to cancel a check' }],
      metadata: { dataset: 'dstc11-finance', utterance_id: 'finance_00327', intent: 'CancelCheck' },
    });
    expect(new Set(dialogues.map((d) => d.metadata?.intent)).size).toBe(38);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(256);
    for (const d of dialogues) expect(DialogueInput.safeParse(d).success).toBe(true);
  });

  it('reports bad lines with their line numbers', async () => {
    const path = tmp.file(
      'corrupted.jsonl',
      [
        '{"utterance": "close my account", "utterance_id": "u1", "intent": "CloseAccount"}',
        '{"utterance": "cut off", "utter',
        '{"utterance_id": "u3", "intent": "X"}',
        '{"utterance": "no id", "intent": "Y"}',
        '42',
      ].join('\n'),
    );
    const { dialogues, bad } = await readAll(dstc11Reader, { path });
    expect(dialogues.map((d) => [d.line, d.id])).toEqual([
      [1, 'dstc11-u1'],
      [4, expect.stringMatching(/^dstc11-[0-9a-f]{16}$/)],
    ]);
    expect(bad.map((b) => [b.line, b.reason])).toEqual([
      [2, expect.stringMatching(/^invalid JSON: /)],
      [3, 'no utterance (a non-empty string)'],
      [5, 'not a JSON object (got a number)'],
    ]);
  });

  it('is told apart from canonical JSONL by sniffing', () => {
    expect(dstc11Reader.sniff(headOf(FINANCE), FINANCE)).toBe(true);
    expect(jsonlReader.sniff(headOf(FINANCE), FINANCE)).toBe(true); // the .jsonl fallback: order decides
    expect(dstc11Reader.sniff('{"id":"a","turns":[{"role":"customer","text":"hi"}],"metadata":{"utterance_id":"x"}}\n', 'x.jsonl')).toBe(false);
  });
});
