// Helpers for the ingest format readers' tests: the shared real data, temp files, reading a whole file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CustomerInput, DialogueInput } from '../domain/dialogue.ts';
import type { FormatReader, ReadOptions, SourceItem } from '../ingest/formats/types.ts';

/** A file of the shared real data sets (../shared/data beside the repository). */
export function dataPath(relative: string): string {
  return fileURLToPath(new URL(`../../../shared/data/${relative}`, import.meta.url));
}

/** The first 64 KiB of a file, decoded, as the ingest pipeline hands it to `sniff`. */
export function headOf(path: string): string {
  return readFileSync(path).subarray(0, 64 * 1024).toString('utf8');
}

export function makeTempDir(): { file: (name: string, content: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'firstcall-formats-'));
  return {
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type Bad = Extract<SourceItem, { kind: 'bad' }>;

export async function readAll(reader: FormatReader, options: ReadOptions) {
  const items: SourceItem[] = [];
  const batchSizes: number[] = [];
  for await (const batch of reader.read(options)) {
    batchSizes.push(batch.length);
    items.push(...batch);
  }
  const values = (kind: 'dialogue' | 'customer') =>
    items.filter((i) => i.kind === kind).map((i) => ({ line: i.line, ...(i as { value: object }).value }));
  return {
    items,
    batchSizes,
    dialogues: values('dialogue') as Array<DialogueInput & { line: number }>,
    customers: values('customer') as Array<CustomerInput & { line: number }>,
    bad: items.filter((i): i is Bad => i.kind === 'bad'),
  };
}
