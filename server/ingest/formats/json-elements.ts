// Streams the elements of a big JSON document without loading it: the elements of a top-level
// array, or of every array that is a value of a top-level object (`{"train": [...], "dev": [...]}`,
// each element tagged with its key as `group`). Non-array values of a top-level object are skipped.
//
// It scans bytes, tracking strings, escapes and bracket depth, and parses each element on its own,
// so a malformed element (bad JSON, invalid UTF-8, too large, cut off by the end of the file) comes
// out as an error for the line and byte where it starts and the elements after it are still read.
// A break in the bracket structure (a missing `}`) makes the element run on to the next point where
// the depth returns to zero: everything up to there is one bad element.
import { createReadStream } from 'node:fs';
import { MAX_RAW_KEPT } from './types.ts';

export type JsonElement =
  | { line: number; offset: number; group?: string; value: unknown }
  | { line: number; offset: number; group?: string; error: string; raw: string };

export interface JsonElementsOptions {
  /** An element larger than this is reported as an error and skipped (default 64 MiB). */
  maxElementBytes?: number;
  /** Elements per yielded batch at most (default 256). */
  batchSize?: number;
}

type Mode =
  | 'start' // before the top-level value
  | 'array' // inside an array of elements: expecting an element, `,` or `]`
  | 'object' // inside the top-level object: expecting a key, `,` or `}`
  | 'key' // inside a top-level key string
  | 'colon' // after a key
  | 'value' // after `:`: an array of elements, or another value to skip
  | 'element' // inside an element (captured) or a skipped value
  | 'done'; // after the top-level value

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NL = 0x0a;
const COMMA = 0x2c;

function isSpace(b: number): boolean {
  return b === 0x20 || b === NL || b === 0x0d || b === 0x09;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export async function* readJsonElements(path: string, options: JsonElementsOptions = {}): AsyncIterable<JsonElement[]> {
  const maxBytes = options.maxElementBytes ?? 64 * 1024 * 1024;
  const batchSize = options.batchSize ?? 256;
  let mode = 'start' as Mode;
  let line = 1;
  let offset = 0; // byte offset of chunk[0] in the file
  let group: string | undefined;
  let inGroupArray = false; // the current array is a value of the top-level object

  // The element (or skipped value, or key) being scanned.
  let capture = false;
  let parts: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let scalar = false; // a number or literal, which ends at a delimiter rather than a bracket
  let startLine = 0;
  let startOffset = 0;

  let batch: JsonElement[] = [];
  let stopped = false;

  const fail = (error: string, raw: string, at = line, atOffset = offset): void => {
    batch.push({ line: at, offset: atOffset, ...(group === undefined ? {} : { group }), error, raw });
  };

  const finishElement = (tail: Buffer): void => {
    if (!capture) return;
    if (tooLarge || size + tail.length > maxBytes) {
      if (!tooLarge) parts = [parts[0] ?? tail];
      fail(`element larger than ${maxBytes} bytes (starts at byte ${startOffset})`, rawText(parts), startLine, startOffset);
      return;
    }
    const bytes = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
    const base = { line: startLine, offset: startOffset, ...(group === undefined ? {} : { group }) };
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      batch.push({ ...base, error: `invalid UTF-8 in the element starting at byte ${startOffset}`, raw: rawText([bytes]) });
      return;
    }
    try {
      batch.push({ ...base, value: JSON.parse(text) as unknown });
    } catch (error) {
      batch.push({ ...base, error: `invalid JSON in the element starting at byte ${startOffset}: ${(error as Error).message}`, raw: text.slice(0, MAX_RAW_KEPT) });
    }
  };

  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let i = 0;
    if (offset === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3; // BOM
    let segStart = -1; // start in this chunk of the captured bytes of the current element or key
    if (mode === 'element' || mode === 'key') segStart = 0;
    const n = chunk.length;
    for (; i < n && !stopped; i++) {
      const b = chunk[i]!;
      if (b === NL) line++;
      switch (mode) {
        case 'element': {
          if (inString) {
            if (escaped) escaped = false;
            else if (b === BACKSLASH) escaped = true;
            else if (b === QUOTE) {
              inString = false;
              if (depth === 0) {
                endElement(chunk, segStart, i + 1);
                segStart = -1;
              }
            }
          } else if (scalar) {
            if (isSpace(b) || b === COMMA || b === 0x5d || b === 0x7d) {
              endElement(chunk, segStart, i);
              segStart = -1;
              i--; // let the enclosing mode see the delimiter
              if (b === NL) line--;
            }
          } else if (b === QUOTE) inString = true;
          else if (b === 0x7b || b === 0x5b) depth++;
          else if (b === 0x7d || b === 0x5d) {
            depth--;
            if (depth === 0) {
              endElement(chunk, segStart, i + 1);
              segStart = -1;
            }
          }
          break;
        }
        case 'array': {
          if (isSpace(b) || b === COMMA) break;
          if (b === 0x5d) {
            mode = inGroupArray ? 'object' : 'done';
            inGroupArray = false;
            break;
          }
          beginElement(b, true, offset + i);
          segStart = i;
          break;
        }
        case 'object': {
          if (isSpace(b) || b === COMMA) break;
          if (b === 0x7d) mode = 'done';
          else if (b === QUOTE) {
            mode = 'key';
            parts = [];
            size = 0;
            escaped = false;
            segStart = i + 1;
          } else structureError(`expected a key or "}" in the top-level object, found ${describeByte(b)}`, chunk, i);
          break;
        }
        case 'key': {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            const keyBytes = Buffer.concat([...parts, chunk.subarray(segStart, i)]);
            parts = [];
            segStart = -1;
            try {
              group = JSON.parse(`"${keyBytes.toString('utf8')}"`) as string;
            } catch {
              group = keyBytes.toString('utf8');
            }
            mode = 'colon';
          }
          break;
        }
        case 'colon': {
          if (isSpace(b)) break;
          if (b === 0x3a) mode = 'value';
          else structureError(`expected ":" after the key "${group}", found ${describeByte(b)}`, chunk, i);
          break;
        }
        case 'value': {
          if (isSpace(b)) break;
          if (b === 0x5b) {
            mode = 'array';
            inGroupArray = true;
          } else {
            beginElement(b, false, offset + i); // not an array of elements: skip it
            segStart = -1;
          }
          break;
        }
        case 'start': {
          if (isSpace(b)) break;
          if (b === 0x5b) mode = 'array';
          else if (b === 0x7b) mode = 'object';
          else structureError(`expected a JSON array or object at the top level, found ${describeByte(b)}`, chunk, i);
          break;
        }
        case 'done': {
          if (!isSpace(b)) structureError(`unexpected ${describeByte(b)} after the end of the top-level value`, chunk, i);
          break;
        }
      }
      if (batch.length >= batchSize) {
        const full = batch;
        batch = [];
        yield full;
      }
    }
    if (segStart !== -1 && !stopped) keep(chunk.subarray(segStart));
    offset += n;
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
    if (stopped) break;
  }
  stream.destroy();
  if (!stopped) {
    if (mode === 'element' && capture) {
      const what = inString ? 'inside a string' : 'before the element is closed';
      fail(`truncated: the file ends ${what} (element starts at byte ${startOffset})`, rawText(parts), startLine, startOffset);
    } else if (mode === 'start') {
      fail('empty file: no JSON array or object', '', 1, 0);
    } else if (mode !== 'done') {
      fail('truncated: the file ends before the top-level value is closed', '', line, offset);
    }
  }
  if (batch.length > 0) yield batch;

  function beginElement(b: number, captured: boolean, at: number): void {
    mode = 'element';
    capture = captured;
    parts = [];
    size = 0;
    tooLarge = false;
    startLine = line;
    startOffset = at;
    escaped = false;
    inString = b === QUOTE;
    depth = b === 0x7b || b === 0x5b ? 1 : 0;
    scalar = !inString && depth === 0;
  }

  function endElement(chunk: Buffer, segStart: number, end: number): void {
    finishElement(segStart === -1 ? Buffer.alloc(0) : chunk.subarray(segStart, end));
    parts = [];
    size = 0;
    if (capture) mode = 'array';
    else mode = 'object';
    capture = false;
  }

  function keep(bytes: Buffer): void {
    if (mode === 'element' && !capture) return;
    if (tooLarge) return;
    size += bytes.length;
    if (size > maxBytes) {
      tooLarge = true;
      parts = parts.length > 0 ? [parts[0]!] : [Buffer.from(bytes.subarray(0, MAX_RAW_KEPT))];
      return;
    }
    parts.push(Buffer.from(bytes)); // copy: the stream may reuse its chunk
  }

  function structureError(message: string, chunk: Buffer, at: number): void {
    fail(`${message} (byte ${offset + at}); the rest of the file is not read`, chunk.subarray(at, at + MAX_RAW_KEPT).toString('utf8'), line, offset + at);
    stopped = true;
  }
}

function rawText(parts: Buffer[]): string {
  const head = parts.length === 0 ? Buffer.alloc(0) : parts[0]!.subarray(0, MAX_RAW_KEPT * 4);
  return head.toString('utf8').slice(0, MAX_RAW_KEPT);
}

function describeByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? `"${String.fromCharCode(b)}"` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}
