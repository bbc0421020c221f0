import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer, DialogueInput } from '../domain/dialogue.ts';
import { generateCorpus } from './generate-corpus.ts';
import { writeCorpus } from './write-corpus.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firstcall-synthetic-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter((l) => l.length > 0);

describe('writeCorpus', () => {
  it('streams dialogues and customers into one JSONL file, byte-identical for a seed', async () => {
    const out = join(dir, 'mixed.jsonl');
    const result = await writeCorpus({ n: 1000, seed: 9, out });
    const all = await lines(out);
    expect(result.dialogues).toBe(1000);
    expect(all).toHaveLength(1000 + result.customers);
    expect(result.bytes).toBe((await stat(out)).size);
    let dialogues = 0;
    for (const line of all) {
      const value = JSON.parse(line) as Record<string, unknown>;
      if ('turns' in value) {
        DialogueInput.parse(value);
        dialogues++;
      } else {
        expect(value.customer_id).toMatch(/^c-\d{6}$/);
        Customer.parse(value);
      }
    }
    expect(dialogues).toBe(1000);
    // The file holds exactly what the generator yields, in order.
    const expected = [...generateCorpus({ n: 1000, seed: 9 })].map((i) => JSON.stringify(i.kind === 'customer' ? i.customer : i.dialogue));
    expect(all).toEqual(expected);
    const again = join(dir, 'mixed-again.jsonl');
    await writeCorpus({ n: 1000, seed: 9, out: again });
    expect((await readFile(again)).equals(await readFile(out))).toBe(true);
  });

  it('puts customers in a sibling file when asked', async () => {
    const out = join(dir, 'dialogues.jsonl');
    const customersOut = join(dir, 'customers.jsonl');
    const result = await writeCorpus({ n: 1000, seed: 9, out, customersOut });
    const dialogueLines = await lines(out);
    const customerLines = await lines(customersOut);
    expect(dialogueLines).toHaveLength(1000);
    expect(customerLines).toHaveLength(result.customers);
    expect(dialogueLines.every((l) => l.includes('"turns":'))).toBe(true);
    expect(customerLines.every((l) => !l.includes('"turns":'))).toBe(true);
    expect(result.customerBytes).toBe((await stat(customersOut)).size);
  });

  it('writes to a slow stream with backpressure and leaves it open', async () => {
    const chunks: Buffer[] = [];
    let waits = 0;
    const slow = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        waits++;
        setTimeout(cb, 1);
      },
    });
    const result = await writeCorpus({ n: 3000, seed: 2, out: slow });
    expect(slow.writableEnded).toBe(false);
    expect(waits).toBeGreaterThan(1);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(Buffer.byteLength(text)).toBe(result.bytes);
    expect(text.split('\n').filter((l) => l.includes('"turns":'))).toHaveLength(3000);
  });

  it('rejects when a file cannot be written', async () => {
    await expect(writeCorpus({ n: 10, seed: 1, out: join(dir, 'missing', 'x.jsonl') })).rejects.toThrow(/ENOENT/);
    const out = join(dir, 'ok.jsonl');
    await expect(writeCorpus({ n: 5000, seed: 1, out, customersOut: join(dir, 'missing', 'c.jsonl') })).rejects.toThrow(/ENOENT/);
  });
});
