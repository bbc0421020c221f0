import { afterAll, describe, expect, it } from 'vitest';
import { readCsvRecords, type CsvRecord, type CsvRecordOptions } from './csv-records.ts';
import { makeTempDir } from '../../test-support/format-readers.ts';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

let n = 0;
async function records(content: string | Buffer, options?: CsvRecordOptions): Promise<CsvRecord[]> {
  const path = tmp.file(`r-${n++}.csv`, content);
  const all: CsvRecord[] = [];
  for await (const batch of readCsvRecords(path, options)) all.push(...batch);
  return all;
}

const summary = (all: CsvRecord[]) => all.map((r) => ('fields' in r ? [r.line, ...r.fields] : [r.line, `ERR ${r.error}`]));

describe('readCsvRecords', () => {
  it('gives each record its start line, with quoted newlines, escaped quotes, CRLF, blank lines and a BOM', async () => {
    const csv = '\uFEFFa,b\r\n1,"multi\r\nline\r\n"\r\n\r\n2,"say ""hi"""\r\n"3",\r\n4,"x,y"';
    expect(summary(await records(csv))).toEqual([
      [1, 'a', 'b'],
      [2, '1', 'multi\r\nline\r\n'],
      [6, '2', 'say "hi"'],
      [7, '3', ''],
      [8, '4', 'x,y'],
    ]);
  });

  it('keeps a stray quote to its own record and reports csv-parse errors at the record line', async () => {
    const csv = ['h1,h2', 'a,b"c', 'd,"e"f', 'g,"h', 'i"', 'j,k'].join('\n');
    expect(summary(await records(csv))).toEqual([
      [1, 'h1', 'h2'],
      [2, expect.stringMatching(/^ERR malformed CSV: Invalid Opening Quote/)],
      [3, expect.stringMatching(/^ERR malformed CSV: Invalid Closing Quote/)],
      [4, 'g', 'h\ni'],
      [6, 'j', 'k'],
    ]);
  });

  it('reports a quote that is never closed as one bad record up to the end of the file', async () => {
    const csv = ['h1,h2', 'a,b', 'c,"never closed', 'd,e', 'f,g'].join('\n');
    expect(summary(await records(csv))).toEqual([
      [1, 'h1', 'h2'],
      [2, 'a', 'b'],
      [3, 'ERR unclosed quoted field (opened on line 3): the rest of the file, lines 3-5, could not be read as records'],
    ]);
  });

  it('reports invalid UTF-8 and over-long records at their line and goes on', async () => {
    const csv = Buffer.concat([
      Buffer.from('h1,h2\nok,1\nbad,"'),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from(`"\nbig,"${'x'.repeat(3000)}\n${'y'.repeat(3000)}"\nlast,2\n`),
    ]);
    const all = await records(csv, { maxRecordBytes: 1000 });
    expect(summary(all)).toEqual([
      [1, 'h1', 'h2'],
      [2, 'ok', '1'],
      [3, 'ERR invalid UTF-8'],
      [4, 'ERR record longer than 1000 bytes'],
      [6, 'last', '2'],
    ]);
    expect(all.every((r) => r.raw.length <= 2000)).toBe(true);
  });

  it('reads tab-separated files and streams across chunks in bounded batches', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i}\t"text ${i}\n${'ü'.repeat(i % 50)}"`);
    const path = tmp.file('big.tsv', `id\ttext\n${rows.join('\n')}\n`);
    const lines: number[] = [];
    let max = 0;
    for await (const batch of readCsvRecords(path, { delimiter: '\t', batchSize: 300 })) {
      max = Math.max(max, batch.length);
      for (const r of batch) if ('fields' in r && r.fields[0] !== 'id') lines.push(r.line);
    }
    expect(lines).toEqual(rows.map((_, i) => 2 + 2 * i));
    expect(max).toBeLessThanOrEqual(300);
  });
});
