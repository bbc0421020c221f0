import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.ts';
import { DETECTION_ORDER, FORMAT_READERS, detectFormat } from './registry.ts';
import { dataPath, headOf, makeTempDir } from '../../test-support/format-readers.ts';
import { FORMAT_IDS } from './types.ts';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

describe('FORMAT_READERS', () => {
  it('has one reader per format id, under its own id, each tried by detection', () => {
    expect(Object.keys(FORMAT_READERS).sort()).toEqual([...FORMAT_IDS].sort());
    for (const [id, reader] of Object.entries(FORMAT_READERS)) expect(reader.id).toBe(id);
    expect([...DETECTION_ORDER].sort()).toEqual([...FORMAT_IDS].sort());
  });
});

describe('detectFormat', () => {
  it.each([
    ['bitext-customer-support/bitext-customer-support.csv', 'bitext'],
    ['tau-bench-retail/retail-dialogues.jsonl', 'taubench'],
    ['abcd-sample/abcd_sample.json', 'abcd'],
    ['dstc11-finance/test-utterances.jsonl', 'dstc11'],
  ])('detects %s as %s', (file, format) => {
    const path = dataPath(file);
    expect(detectFormat(headOf(path), path)).toBe(format);
  });

  it('detects canonical JSONL, generic CSV, and falls back to jsonl for .jsonl/.ndjson', () => {
    const canonical = tmp.file('logs.txt', '{"id":"a","turns":[{"role":"customer","text":"hi"}]}\n');
    expect(detectFormat(headOf(canonical), canonical)).toBe('jsonl');
    const crm = tmp.file('crm.json', '{"customer_id":"c1","tier":"gold"}\n');
    expect(detectFormat(headOf(crm), crm)).toBe('jsonl');
    expect(detectFormat('conversation_id,speaker,message\n', 'chats.csv')).toBe('csv');
    expect(detectFormat('ticket;body\n', 'export.tsv')).toBe('csv');
    expect(detectFormat('not json at all\n', 'broken.ndjson')).toBe('jsonl');
  });

  it('throws a usage error listing the formats when nothing matches', () => {
    let error: unknown;
    try {
      detectFormat('hello world\n', 'notes.txt');
    } catch (e) {
      error = e;
    }
    expect(AppError.isInstance(error) && error.code).toBe('usage');
    expect((error as Error).message).toBe(
      'cannot tell the format of notes.txt: it matches none of jsonl, csv, bitext, taubench, abcd, dstc11, stc3; name it with --format <format>',
    );
  });
});
