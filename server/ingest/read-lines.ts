// Streams a file as numbered lines, in batches, without holding more than one chunk in memory.
// Invalid UTF-8 and over-long lines come out as errors for their line instead of stopping the read.
// Split in two so the costly half can run elsewhere: readLineBlocks cuts the bytes into blocks of
// whole lines (cheap: one newline search per chunk, plus a count), linesOfBlock decodes a block
// into lines (in a worker thread when ingest uses them). readLines is the two in a row.
import { createReadStream } from 'node:fs';

export type LineItem = { line: number; text: string } | { line: number; error: string; raw: string };

/** Whole lines `firstLine`, `firstLine + 1`, … separated by '\n', without the last line's newline; or a line that came out as an error already. */
export type LineBlock = { firstLine: number; bytes: Uint8Array } | { item: LineItem };

export const MAX_LINE_BYTES = 8 * 1024 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: true });

export async function* readLines(path: string, maxLineBytes = MAX_LINE_BYTES): AsyncIterable<LineItem[]> {
  for await (const block of readLineBlocks(path, maxLineBytes)) {
    const items = 'item' in block ? [block.item] : linesOfBlock(block, maxLineBytes);
    if (items.length > 0) yield items;
  }
}

/**
 * The file as blocks of whole lines, about one read chunk (1 MiB) each. A line that grows past
 * `maxLineBytes` without a newline comes out as an error item and the rest of it is skipped.
 */
export async function* readLineBlocks(path: string, maxLineBytes = MAX_LINE_BYTES): AsyncIterable<LineBlock> {
  let lineNo = 0; // lines handed out so far
  let pending: Buffer[] = []; // the start of a line that continues in the next chunk
  let pendingBytes = 0;
  let skipping = false; // inside an over-long line: drop bytes until its newline
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    if (skipping) {
      const nl = chunk.indexOf(10);
      if (nl === -1) continue;
      skipping = false;
      lineNo++;
      start = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(10);
    if (lastNl >= start) {
      const head = chunk.subarray(start, lastNl);
      const bytes = pendingBytes === 0 ? new Uint8Array(head) : owned(Buffer.concat([...pending, head]));
      const firstLine = lineNo + 1;
      lineNo += countNewlines(head) + 1;
      pending = [];
      pendingBytes = 0;
      yield { firstLine, bytes };
      start = lastNl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (pendingBytes + rest.length > maxLineBytes) {
        yield { item: tooLong(lineNo + 1, pending.length > 0 ? pending[0]! : rest, maxLineBytes) };
        pending = [];
        pendingBytes = 0;
        skipping = true;
      } else {
        pending.push(Buffer.from(rest)); // copy: the stream may reuse its chunk
        pendingBytes += rest.length;
      }
    }
  }
  if (pendingBytes > 0 && !skipping) yield { firstLine: lineNo + 1, bytes: owned(Buffer.concat(pending)) };
}

/** Bytes with an ArrayBuffer of their own (not a slice of Node's shared pool), so they can be transferred to a worker. */
function owned(bytes: Buffer): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/** The block's lines, numbered; blank lines are left out, bad ones come out as errors. */
export function linesOfBlock(block: { firstLine: number; bytes: Uint8Array }, maxLineBytes = MAX_LINE_BYTES): LineItem[] {
  const { firstLine } = block;
  const bytes = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
  const items: LineItem[] = [];
  // Fast path: every line decoded at once.
  const text = decodeWhole(bytes);
  if (text !== undefined && !hasOverlongLine(text, maxLineBytes)) {
    let line = firstLine;
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      const end = nl === -1 ? text.length : nl;
      const item = lineItem(line, text, from, end, firstLine);
      if (item) items.push(item);
      if (nl === -1) break;
      line++;
      from = nl + 1;
    }
    return items;
  }
  let line = firstLine;
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    const end = nl === -1 ? bytes.length : nl;
    const item = end - start > maxLineBytes ? tooLong(line, bytes.subarray(start, end), maxLineBytes) : decodeLine(line, bytes.subarray(start, end));
    if (item) items.push(item);
    if (nl === -1) break;
    line++;
    start = nl + 1;
  }
  return items;
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

function tooLong(line: number, head: Uint8Array, max: number): LineItem {
  return { line, error: `line longer than ${max} bytes`, raw: Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 2000)).toString('utf8') };
}
