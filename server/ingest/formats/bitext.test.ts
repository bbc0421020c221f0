import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DialogueInput } from '../../domain/dialogue.ts';
import { bitextReader } from './bitext.ts';
import { dataPath, headOf, makeTempDir, readAll } from '../../test-support/format-readers.ts';

const BITEXT = dataPath('bitext-customer-support/bitext-customer-support.csv');
const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

const HEADER = 'context,role,instruction,intent,entity_type,entity_value,start_offset,end_offset,category,tags,response';
const row = (instruction: string, intent: string, response: string, tags = 'BL') =>
  `customer support,virtual assistant,${instruction},${intent},,,,,ORDER,${tags},"${response.replace(/"/g, '""')}"`;

describe('bitextReader on the real file', () => {
  it('reads all 4,514 rows as valid two-turn dialogues, each at the line where its row starts', async () => {
    const { dialogues, bad, batchSizes } = await readAll(bitextReader, { path: BITEXT });
    expect(bad).toEqual([]);
    expect(dialogues).toHaveLength(4514);
    expect(new Set(dialogues.map((d) => d.id)).size).toBe(4514);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(256);
    for (const d of dialogues) expect(DialogueInput.safeParse(d).success).toBe(true);

    const fileLines = readFileSync(BITEXT, 'utf8').split('\n');
    for (const d of dialogues) {
      const line = fileLines[d.line - 1]!;
      expect(line.startsWith('customer support,virtual assistant,')).toBe(true);
      expect(line).toContain(d.turns[0]!.text.split('\n')[0]!.replace(/"/g, '""'));
    }
    expect(dialogues.at(-1)!.line).toBeLessThan(fileLines.length);
  });

  it('maps a row to customer instruction and bot response, with the labels in metadata', async () => {
    const { dialogues } = await readAll(bitextReader, { path: BITEXT });
    const first = dialogues[0]!;
    expect(first).toMatchObject({
      line: 2,
      id: expect.stringMatching(/^bitext-[0-9a-f]{16}$/),
      language: 'en',
      outcome: { resolved: true },
      turns: [
        { role: 'customer', text: 'how can I cancel purchase 113542617735902?' },
        { role: 'agent', agent_kind: 'bot', text: expect.stringContaining('order number {{Purchase ID Anonymized}}') },
      ],
      metadata: {
        dataset: 'bitext-customer-support',
        intent: 'cancel_order',
        category: 'ORDER',
        tags: ['B', 'I', 'L'],
        entity: { type: 'order_id', value: '113542617735902', start: 26, end: 41 },
      },
    });
    expect(first.metadata?.reference_answer).toBe(first.turns[1]!.text);
    expect(first.turns[1]!.text).not.toContain('\r'); // CRLF inside fields becomes LF
    expect(first.channel).toBeUndefined();
  });

  it('keeps ids when rows move, and changes them only with instruction or intent', async () => {
    const a = row('where is my order', 'track_order', 'It is on its way.');
    const b = row('cancel it', 'cancel_order', 'Done.');
    const one = await readAll(bitextReader, { path: tmp.file('one.csv', `${HEADER}\n${a}\n${b}\n`) });
    const two = await readAll(bitextReader, { path: tmp.file('two.csv', `${HEADER}\r\n${b}\r\n\r\n${a.replace('It is', 'It is now')}\r\n`) });
    expect(two.dialogues.map((d) => d.id)).toEqual([one.dialogues[1]!.id, one.dialogues[0]!.id]);
  });

  it('reports the bad rows of a corrupted copy at their lines and reads every good one', async () => {
    const real = readFileSync(BITEXT, 'utf8');
    // The real header and first two rows (lines 1-19), then corrupted rows, then good ones.
    const firstRows = real.split('\n').slice(0, 19).join('\n');
    expect(firstRows.split('\n').filter((l) => l.startsWith('customer support,')).length).toBe(2);
    const content = Buffer.concat([
      Buffer.from(`${firstRows}\n`), // rows at lines 2 and 11
      Buffer.from('customer support,virtual assistant,too few fields,cancel_order\r\n'), // 20: missing fields
      Buffer.from(`${row('stray "quote" here', 'x', 'y')}\r\n`), // 21: malformed quotes
      Buffer.from(`${row('ok one', 'track_order', 'line 1\nline 2')}\r\n`), // 22-23
      Buffer.from('customer support,virtual assistant,caf'), // 24: invalid UTF-8
      Buffer.from([0xe9]),
      Buffer.from(',intent,,,,,ORDER,B,"answer"\r\n'),
      Buffer.from(`${row('', 'cancel_order', 'answer')}\r\n`), // 25: empty instruction
      Buffer.from(`${row('huge', 'x', 'z'.repeat(9 * 1024 * 1024))}\r\n`), // 26: over-long record
      Buffer.from(`${row('ok two', 'track_order', 'fine')}\r\n`), // 27
      Buffer.from('customer support,virtual assistant,cut,x,,,,,ORDER,B,"truncated answer\r\nthat never ends'), // 28: cut off
    ]);
    const { dialogues, bad } = await readAll(bitextReader, { path: tmp.file('corrupted.csv', content) });
    expect(dialogues.map((d) => [d.line, d.turns[0]!.text])).toEqual([
      [2, 'how can I cancel purchase 113542617735902?'],
      [11, 'can you help me canceling purchase 00004587345?'],
      [22, 'ok one'],
      [27, 'ok two'],
    ]);
    expect(bad.map((b) => [b.line, b.reason])).toEqual([
      [20, 'expected 11 fields, got 4'],
      [21, expect.stringMatching(/^malformed CSV: Invalid Opening Quote/)],
      [24, 'invalid UTF-8'],
      [25, 'empty instruction'],
      [26, 'record longer than 8388608 bytes'],
      [28, expect.stringMatching(/^unclosed quoted field \(opened on line 28\)/)],
    ]);
    expect(bad.every((b) => b.raw.length > 0 && b.raw.length <= 2000)).toBe(true);
  });

  it('stops with a usage error when the header lacks the Bitext columns', async () => {
    await expect(readAll(bitextReader, { path: tmp.file('wrong.csv', 'instruction,answer\nhi,hello\n') })).rejects.toThrow(
      /not a Bitext CSV: the header \(line 1\) needs the columns instruction, intent, response; found instruction, answer/,
    );
  });

  it('is detected by its header', () => {
    expect(bitextReader.sniff(headOf(BITEXT), BITEXT)).toBe(true);
    expect(bitextReader.sniff('flags,instruction,category,intent,response\n', 'hf.csv')).toBe(true);
    expect(bitextReader.sniff('id,role,text\n', 'x.csv')).toBe(false);
  });
});
