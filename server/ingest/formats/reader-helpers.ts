// Small pieces shared by the format readers: batch size, quarantine items, stable ids, head sniffing.
import { createHash } from 'node:crypto';
import { MAX_RAW_KEPT, type SourceItem } from './types.ts';

/** Records per yielded batch for readers that build their own batches. */
export const BATCH_SIZE = 256;

export function badItem(line: number, reason: string, raw: string): SourceItem {
  return { kind: 'bad', line, reason, raw: raw.length > MAX_RAW_KEPT ? raw.slice(0, MAX_RAW_KEPT) : raw };
}

/**
 * `<prefix>-<first 16 hex of sha256>` over the parts (joined by U+001F), so an id depends on the
 * record's content, not on its position in the file: re-ingesting an edited file stays idempotent.
 */
export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 16)}`;
}

/** CRLF and lone CR become LF, so the same text gets the same hash whatever the file's line ends. */
export function normalizeNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

export function hasExtension(path: string, ...extensions: string[]): boolean {
  const lower = path.toLowerCase();
  return extensions.some((ext) => lower.endsWith(`.${ext}`));
}

/** The first non-blank line of a file head (BOM stripped); `complete` is false when the head cut it. */
export function firstLine(head: string): { text: string; complete: boolean } {
  let start = head.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    const nl = head.indexOf('\n', start);
    const text = (nl === -1 ? head.slice(start) : head.slice(start, nl)).replace(/\r$/, '');
    if (text.trim() !== '' || nl === -1) return { text, complete: nl !== -1 };
    start = nl + 1;
  }
}

/**
 * The first line of a head parsed as a JSON object when it is one. A 64 KiB head can cut a long
 * line, so callers fall back to `mentionsKey` on `text` when `object` is absent.
 */
export function firstJsonLine(head: string): { object?: Record<string, unknown>; text: string } {
  const { text } = firstLine(head);
  return { ...parseObject(text), text };
}

function parseObject(text: string): { object?: Record<string, unknown> } {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? { object: value } : {};
  } catch {
    return {};
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a (possibly cut-off) JSON line has `"key":`, as far as text search can tell. */
export function mentionsKey(text: string, key: string): boolean {
  return new RegExp(`"${key}"\\s*:`).test(text);
}

export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Cuts a large batch (a readLines chunk can hold thousands of lines) into batches of BATCH_SIZE. */
export function* inBatches<T>(items: T[], size = BATCH_SIZE): Iterable<T[]> {
  if (items.length <= size) {
    if (items.length > 0) yield items;
    return;
  }
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
