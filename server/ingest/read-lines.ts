// Streams a file as numbered lines, in batches, without holding more than one chunk in memory.
// Invalid UTF-8 and over-long lines come out as errors for their line instead of stopping the read.
import { createReadStream } from 'node:fs';

export type LineItem = { line: number; text: string } | { line: number; error: string; raw: string };

export const MAX_LINE_BYTES = 8 * 1024 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: true });

export async function* readLines(path: string, maxLineBytes = MAX_LINE_BYTES): AsyncIterable<LineItem[]> {
  let lineNo = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false; // inside an over-long line: drop bytes until its newline
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const batch: LineItem[] = [];
    let start = 0;
    // Fast path: the first complete line of this chunk through its last newline, decoded at once.
    const lastNl = chunk.lastIndexOf(10);
    if (pendingBytes === 0 && !skipping && lastNl !== -1) {
      const text = decodeWhole(chunk.subarray(0, lastNl));
      if (text !== undefined && !hasOverlongLine(text, maxLineBytes)) {
        const firstLine = lineNo + 1;
        let from = 0;
        for (;;) {
          const nl = text.indexOf('\n', from);
          const end = nl === -1 ? text.length : nl;
          lineNo++;
          const item = lineItem(lineNo, text, from, end, firstLine);
          if (item) batch.push(item);
          if (nl === -1) break;
          from = nl + 1;
        }
        start = lastNl + 1;
      }
    }
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      lineNo++;
      if (skipping) {
        skipping = false;
      } else if (pendingBytes + (nl - start) > maxLineBytes) {
        batch.push(tooLong(lineNo, pending, chunk.subarray(start, nl), maxLineBytes));
      } else {
        const bytes = pendingBytes === 0 ? chunk.subarray(start, nl) : Buffer.concat([...pending, chunk.subarray(start, nl)]);
        const item = decodeLine(lineNo, bytes);
        if (item) batch.push(item);
      }
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length && !skipping) {
      const rest = chunk.subarray(start);
      if (pendingBytes + rest.length > maxLineBytes) {
        batch.push(tooLong(lineNo + 1, pending, rest, maxLineBytes));
        pending = [];
        pendingBytes = 0;
        skipping = true;
      } else {
        pending.push(Buffer.from(rest)); // copy: the stream may reuse its chunk
        pendingBytes += rest.length;
      }
    }
    if (batch.length > 0) yield batch;
  }
  if (pendingBytes > 0 && !skipping) {
    const item = decodeLine(lineNo + 1, Buffer.concat(pending));
    if (item) yield [item];
  }
}

/** The whole span decoded, or undefined when it holds invalid UTF-8 (then lines are decoded one by one). */
function decodeWhole(bytes: Buffer): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A cheap upper bound: a line of more than max/3 characters may exceed max bytes; check those exactly. */
function hasOverlongLine(text: string, maxBytes: number): boolean {
  if (text.length <= maxBytes / 3) return false;
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    const end = nl === -1 ? text.length : nl;
    if (end - from > maxBytes / 3 && Buffer.byteLength(text.slice(from, end)) > maxBytes) return true;
    if (nl === -1) return false;
    from = nl + 1;
  }
}

function lineItem(line: number, text: string, from: number, end: number, firstLine: number): LineItem | undefined {
  if (end > from && text.charCodeAt(end - 1) === 13) end--; // CRLF
  if (end === from) return undefined;
  if (line === 1 && line === firstLine && text.charCodeAt(from) === 0xfeff) from++;
  const value = text.slice(from, end);
  if (value.trim() === '') return undefined;
  return { line, text: value };
}

function decodeLine(line: number, bytes: Buffer): LineItem | undefined {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 13) end--; // CRLF
  if (end === 0) return undefined;
  try {
    const text = decoder.decode(bytes.subarray(0, end));
    if (line === 1 && text.charCodeAt(0) === 0xfeff) return text.length > 1 ? { line, text: text.slice(1) } : undefined;
    if (text.trim() === '') return undefined;
    return { line, text };
  } catch {
    return { line, error: 'invalid UTF-8', raw: bytes.subarray(0, 2000).toString('utf8') };
  }
}

function tooLong(line: number, pending: Buffer[], tail: Buffer, max: number): LineItem {
  const head = pending.length > 0 ? pending[0]! : tail;
  return { line, error: `line longer than ${max} bytes`, raw: head.subarray(0, 2000).toString('utf8') };
}
