import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../read-lines.ts';
import { classifyJsonLine, jsonlReader } from './jsonl.ts';
import { makeTempDir, readAll } from '../../test-support/format-readers.ts';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

const dialogue = (id: string) => JSON.stringify({ id, turns: [{ role: 'customer', text: '我的订单在哪里' }] });

describe('classifyJsonLine', () => {
  it('tells dialogues, customers and bad lines apart', () => {
    expect(classifyJsonLine(1, dialogue('a'))).toMatchObject({ kind: 'dialogue', line: 1, raw: dialogue('a') });
    expect(classifyJsonLine(2, '{"customer_id":"c1","tier":"gold"}')).toEqual({ kind: 'customer', line: 2, value: { customer_id: 'c1', tier: 'gold' } });
    // A record with both is a dialogue: customer_id is an optional dialogue field too.
    expect(classifyJsonLine(3, '{"id":"x","customer_id":"c1","turns":[]}').kind).toBe('dialogue');
    expect(classifyJsonLine(4, '{"id": 1,}')).toMatchObject({ kind: 'bad', line: 4, reason: expect.stringMatching(/^invalid JSON: .* at position 9/) });
    expect(classifyJsonLine(5, '[1,2]')).toMatchObject({ kind: 'bad', reason: 'not a JSON object (got an array)' });
    expect(classifyJsonLine(6, '"text"')).toMatchObject({ kind: 'bad', reason: 'not a JSON object (got a string)' });
    expect(classifyJsonLine(7, 'null')).toMatchObject({ kind: 'bad', reason: 'not a JSON object (got null)' });
    expect(classifyJsonLine(8, '{"id":"x"}')).toMatchObject({
      kind: 'bad',
      reason: 'neither a dialogue (no turns) nor a customer (no customer_id)',
      raw: '{"id":"x"}',
    });
  });

  it('keeps at most MAX_RAW_KEPT characters of a bad line', () => {
    const item = classifyJsonLine(1, `{"x": "${'y'.repeat(5000)}`);
    expect(item.kind === 'bad' && item.raw.length).toBe(2000);
  });
});

describe('jsonlReader', () => {
  it('reads a corrupted file: every good record comes out, every bad one with its line', async () => {
    const lines = [
      dialogue('d1'), // 1
      '{"customer_id":"c1","tier":"vip","purchases":[]}', // 2
      '', // 3: blank, skipped
      '{"id":"d2","turns":[{"role":"customer","text":"hi"}', // 4: truncated record
      '{"id":"d3"}', // 5: missing turns
      dialogue('d4'), // 6
    ];
    const path = tmp.file(
      'corrupted.jsonl',
      Buffer.concat([
        Buffer.from(`${lines.join('\n')}\n`),
        Buffer.from('{"id":"d5","turns":[{"role":"customer","text":"'), // 7: invalid UTF-8
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}]}\r\n'),
        Buffer.from(`${dialogue('d6')}\r\n`), // 8: CRLF
        Buffer.from(`{"id":"huge","turns":[{"role":"customer","text":"${'x'.repeat(MAX_LINE_BYTES)}"}]}\n`), // 9: over-long
        Buffer.from(dialogue('d7')), // 10: no final newline
      ]),
    );
    const { dialogues, customers, bad } = await readAll(jsonlReader, { path });
    expect(dialogues.map((d) => [d.id, d.line])).toEqual([
      ['d1', 1],
      ['d4', 6],
      ['d6', 8],
      ['d7', 10],
    ]);
    expect(customers.map((c) => [c.customer_id, c.line])).toEqual([['c1', 2]]);
    expect(bad.map((b) => [b.line, b.reason])).toEqual([
      [4, expect.stringMatching(/^invalid JSON: /)],
      [5, 'neither a dialogue (no turns) nor a customer (no customer_id)'],
      [7, 'invalid UTF-8'],
      [9, `line longer than ${MAX_LINE_BYTES} bytes`],
    ]);
    expect(bad.every((b) => b.raw.length > 0 && b.raw.length <= 2000)).toBe(true);
  });

  it('keeps the line text as raw for dialogues, so the pipeline stores it without re-serialising', async () => {
    const path = tmp.file('raw.jsonl', `${dialogue('d1')}\n`);
    const { items } = await readAll(jsonlReader, { path });
    expect(items).toEqual([{ kind: 'dialogue', line: 1, value: JSON.parse(dialogue('d1')), raw: dialogue('d1') }]);
  });

  it('sniffs canonical content whatever the extension, and any .jsonl/.ndjson as the fallback', () => {
    expect(jsonlReader.sniff(`${dialogue('a')}\n`, 'logs.txt')).toBe(true);
    expect(jsonlReader.sniff('\n{"customer_id":"c1"}\n', 'crm.json')).toBe(true);
    expect(jsonlReader.sniff('{"id":"a","turns":[{"text":"' + 'x'.repeat(70_000), 'cut.log')).toBe(true);
    expect(jsonlReader.sniff('{"foo":1}\n', 'other.ndjson')).toBe(true);
    expect(jsonlReader.sniff('{"foo":1}\n', 'other.json')).toBe(false);
    expect(jsonlReader.sniff('id,role,text\n', 'x.csv')).toBe(false);
  });
});
