import { afterAll, describe, expect, it } from 'vitest';
import { readJsonElements, type JsonElement, type JsonElementsOptions } from './json-elements.ts';
import { makeTempDir } from '../../test-support/format-readers.ts';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

let n = 0;
async function elements(content: string | Buffer, options?: JsonElementsOptions): Promise<JsonElement[]> {
  const path = tmp.file(`doc-${n++}.json`, content);
  const all: JsonElement[] = [];
  for await (const batch of readJsonElements(path, options)) all.push(...batch);
  return all;
}

const values = (all: JsonElement[]) => all.map((e) => ('value' in e ? e.value : { error: e.error }));

describe('readJsonElements', () => {
  it('yields the elements of a top-level array with their start line and byte', async () => {
    const all = await elements('[\n  {"a": 1},\n  {"b": "x]}{\\"y"},\n  [1, [2]], "s,]", 12.5e3, true, null\n]\n');
    expect(values(all)).toEqual([{ a: 1 }, { b: 'x]}{"y' }, [1, [2]], 's,]', 12500, true, null]);
    expect(all.map((e) => e.line)).toEqual([2, 3, 4, 4, 4, 4, 4]);
    expect(all[0]!.offset).toBe(4);
    expect(all.every((e) => !('group' in e))).toBe(true);
  });

  it('yields the elements of every array value of a top-level object, tagged with the key, and skips other values', async () => {
    const doc = '{"version": 2, "meta": {"x": [1, "]"]}, "train": [{"id": 1}, {"id": 2}],\n "d\\u0065v": [],\n "test": [{"id": 3}]}';
    const all = await elements(doc);
    expect(all.map((e) => ['value' in e && e.value, e.group, e.line])).toEqual([
      [{ id: 1 }, 'train', 1],
      [{ id: 2 }, 'train', 1],
      [{ id: 3 }, 'test', 3],
    ]);
  });

  it('reports a malformed element at its line and keeps reading', async () => {
    const doc = [
      '[',
      '{"id": 1},',
      '{"id": 2, "x": tru},', // bad literal
      '{"id": 3,',
      ' "y": 1 "z": 2},', // missing comma, spans lines 4-5
      '{"id": 4}',
      ']',
    ].join('\n');
    const all = await elements(doc);
    expect(all.map((e) => ('value' in e ? e.value : [e.line, e.error.slice(0, 60)]))).toEqual([
      { id: 1 },
      [3, expect.stringContaining('invalid JSON in the element starting at byte 13')],
      [4, expect.stringContaining('invalid JSON')],
      { id: 4 },
    ]);
  });

  it('reports invalid UTF-8 in one element only', async () => {
    const doc = Buffer.concat([Buffer.from('[{"t": "ok"},\n{"t": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"},\n{"t": "是"}]')]);
    const all = await elements(doc);
    expect(values(all)).toEqual([{ t: 'ok' }, { error: expect.stringMatching(/^invalid UTF-8/) }, { t: '是' }]);
    expect(all[1]!.line).toBe(2);
  });

  it('reports a file cut inside an element as truncated at the element start', async () => {
    const all = await elements('{"train": [\n{"id": 1},\n{"id": 2, "text": "cut he');
    expect(all.map((e) => ('value' in e ? e.value : [e.line, e.group, e.error]))).toEqual([
      { id: 1 },
      [3, 'train', expect.stringMatching(/^truncated: the file ends inside a string/)],
    ]);
  });

  it('reports an unclosed top-level array and a top level that is not an array or object', async () => {
    expect(values(await elements('[{"id": 1},\n'))).toEqual([{ id: 1 }, { error: expect.stringMatching(/^truncated: the file ends before the top-level value is closed/) }]);
    expect(values(await elements('\n\n"just a string"'))).toEqual([{ error: expect.stringMatching(/^expected a JSON array or object at the top level/) }]);
    expect((await elements('\n\n"x"'))[0]!.line).toBe(3);
    expect(values(await elements(''))).toEqual([{ error: 'empty file: no JSON array or object' }]);
    expect(values(await elements('[1] x'))).toEqual([1, { error: expect.stringMatching(/^unexpected "x" after the end/) }]);
  });

  it('skips an element over the size limit without losing its neighbours', async () => {
    const all = await elements(`[{"a": 1}, {"big": "${'x'.repeat(5000)}"}, {"c": 3}]`, { maxElementBytes: 1000 });
    expect(values(all)).toEqual([{ a: 1 }, { error: expect.stringMatching(/^element larger than 1000 bytes/) }, { c: 3 }]);
    const big = all[1]!;
    expect('raw' in big && big.raw.length).toBeLessThanOrEqual(2000);
  });

  it('follows elements, strings and escapes across read chunks, in batches', async () => {
    // ~3 MiB over 1 MiB chunks: elements, strings and escapes straddle chunk boundaries.
    const items = Array.from({ length: 6000 }, (_, i) => ({ i, text: `line ${i} "quoted" \\ back ${'é'.repeat(i % 300)}` }));
    const doc = `[\n${items.map((x) => JSON.stringify(x)).join(',\n')}\n]\n`;
    const batches: number[] = [];
    const all: JsonElement[] = [];
    for await (const batch of readJsonElements(tmp.file('chunks.json', doc), { batchSize: 500 })) {
      batches.push(batch.length);
      all.push(...batch);
    }
    expect(values(all)).toEqual(items);
    expect(all.map((e) => e.line)).toEqual(items.map((_, i) => i + 2));
    expect(Math.max(...batches)).toBeLessThanOrEqual(500);
  });

  it('drops a UTF-8 BOM', async () => {
    expect(values(await elements('\uFEFF[{"a": 1}]'))).toEqual([{ a: 1 }]);
  });
});
