// Canonical JSONL (DESIGN.md): one dialogue (has `turns`) or customer (has `customer_id`) per line.
// This is the hot path (millions of lines): one JSON.parse and two key checks per line, and
// batches go out exactly as readLines produces them.
import { readLines } from '../read-lines.ts';
import type { FormatReader, SourceItem } from './types.ts';
import { badItem, describeJsonValue, firstJsonLine, hasExtension, mentionsKey } from './reader-helpers.ts';

export function classifyJsonLine(line: number, text: string): SourceItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return badItem(line, `invalid JSON: ${(error as Error).message}`, text);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return badItem(line, `not a JSON object (got ${describeJsonValue(value)})`, text);
  }
  if ('turns' in value) return { kind: 'dialogue', line, value, raw: text }; // raw: stored as is, no re-serialising
  if ('customer_id' in value) return { kind: 'customer', line, value };
  return badItem(line, 'neither a dialogue (no turns) nor a customer (no customer_id)', text);
}

export const jsonlReader: FormatReader = {
  id: 'jsonl',
  sniff(head, path) {
    const { object, text } = firstJsonLine(head);
    if (object ? 'turns' in object || 'customer_id' in object : mentionsKey(text, 'turns') || mentionsKey(text, 'customer_id')) {
      return true;
    }
    // Fallback: any .jsonl/.ndjson file is read as canonical and bad lines are quarantined.
    return hasExtension(path, 'jsonl', 'ndjson');
  },
  async *read({ path }) {
    for await (const lines of readLines(path)) {
      const items: SourceItem[] = new Array(lines.length);
      for (let i = 0; i < lines.length; i++) {
        const item = lines[i]!;
        items[i] = 'text' in item ? classifyJsonLine(item.line, item.text) : badItem(item.line, item.error, item.raw);
      }
      yield items;
    }
  },
};
