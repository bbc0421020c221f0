// Streams a CSV file as numbered records. The framing (where a record starts and ends) is done
// here, byte-wise; csv-parse then splits each record into fields.
//
// Why not csv-parse's own streaming and `info.lines`: in csv-parse 6.2 `info.lines` counts a CRLF
// inside a quoted field as two lines (Bitext's CSV, CRLF with multi-line answers, reports line
// 57,927 for its last record in a 31,222-line file); after a quote error with
// `skip_records_with_error` it stays inside the quote and swallows the following records; and
// `encoding: null` (to validate UTF-8 ourselves) crashes while building any CsvError. Framing
// here gives exact start lines, a bad record that stays one record, UTF-8 checked per record and
// bounded memory for over-long records.
//
// Framing rule (RFC 4180): a quote opens a quoted field only at the start of a field, `""` inside
// one is an escaped quote, and a record ends at a newline outside quotes. A stray quote inside an
// unquoted field does not open a quote, so it spoils only its own record (csv-parse rejects it).
// A quoted field that is never closed runs to the end of the file: that is one bad record saying
// where it opened. Blank lines are skipped; a UTF-8 BOM is dropped.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { MAX_RAW_KEPT } from './types.ts';

export type CsvRecord = { line: number; fields: string[]; raw: string } | { line: number; error: string; raw: string };

export interface CsvRecordOptions {
  delimiter?: ',' | '\t' | ';';
  /** A record longer than this is reported as an error and skipped (default 8 MiB). */
  maxRecordBytes?: number;
  /** Records per yielded batch at most (default 256). */
  batchSize?: number;
}

const QUOTE = 0x22;
const NL = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder('utf-8', { fatal: true });

type Framed = { line: number; text: string } | { line: number; error: string; raw: string };

export async function* readCsvRecords(path: string, options: CsvRecordOptions = {}): AsyncIterable<CsvRecord[]> {
  const delimiter = options.delimiter ?? ',';
  const delimiterByte = delimiter.charCodeAt(0);
  const maxBytes = options.maxRecordBytes ?? 8 * 1024 * 1024;
  const batchSize = options.batchSize ?? 256;

  let line = 1; // line of the byte being scanned
  let recordLine = 1; // line where the current record starts
  let inQuotes = false;
  let quoteLine = 0; // line where the open quoted field started
  let fieldStart = true;
  let justClosed = false; // the previous byte closed a quoted field (a quote now is an escaped `""`)
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let framed: Framed[] = [];

  const endRecord = (tail: Buffer): void => {
    const total = size + tail.length;
    if (tooLong || total > maxBytes) {
      framed.push({ line: recordLine, error: `record longer than ${maxBytes} bytes`, raw: rawOf(parts[0] ?? tail) });
    } else if (total > 0) {
      let bytes = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
      if (bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
      if (bytes.length > 0 && !isBlank(bytes)) {
        try {
          framed.push({ line: recordLine, text: decoder.decode(bytes) });
        } catch {
          framed.push({ line: recordLine, error: 'invalid UTF-8', raw: rawOf(bytes) });
        }
      }
    }
    parts = [];
    size = 0;
    tooLong = false;
  };

  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let first = true;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    first = false;
    let segStart = start;
    const n = chunk.length;
    for (let i = start; i < n; i++) {
      const b = chunk[i]!;
      if (inQuotes) {
        if (b === QUOTE) {
          inQuotes = false;
          justClosed = true;
        } else if (b === NL) line++;
        continue;
      }
      if (b === NL) {
        endRecord(chunk.subarray(segStart, i));
        segStart = i + 1;
        line++;
        recordLine = line;
        fieldStart = true;
        justClosed = false;
        if (framed.length >= batchSize) {
          yield splitFields(framed, delimiter);
          framed = [];
        }
      } else if (b === QUOTE) {
        if (fieldStart || justClosed) {
          inQuotes = true;
          if (fieldStart) quoteLine = line;
        }
        fieldStart = false;
        justClosed = false;
      } else {
        fieldStart = b === delimiterByte;
        justClosed = false;
      }
    }
    if (segStart < n) keep(chunk.subarray(segStart));
    if (framed.length > 0) {
      yield splitFields(framed, delimiter);
      framed = [];
    }
  }
  if (inQuotes) {
    framed.push({
      line: recordLine,
      error: `unclosed quoted field (opened on line ${quoteLine}): the rest of the file, lines ${recordLine}-${line}, could not be read as records`,
      raw: rawOf(parts[0] ?? Buffer.alloc(0)),
    });
  } else if (size > 0 || tooLong) {
    endRecord(Buffer.alloc(0));
  }
  if (framed.length > 0) yield splitFields(framed, delimiter);

  function keep(bytes: Buffer): void {
    if (tooLong) return;
    size += bytes.length;
    if (size > maxBytes) {
      tooLong = true; // keep only the head, for the quarantine's raw text
      if (parts.length === 0) parts = [Buffer.from(bytes.subarray(0, MAX_RAW_KEPT * 4))];
      parts.length = 1;
      return;
    }
    parts.push(Buffer.from(bytes)); // copy: the stream may reuse its chunk
  }
}

function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
  return true;
}

function rawOf(bytes: Buffer): string {
  return bytes.subarray(0, MAX_RAW_KEPT * 4).toString('utf8').slice(0, MAX_RAW_KEPT);
}

/** Fields of each framed record: one csv-parse call per batch, one per record only when the batch has an error. */
function splitFields(framed: Framed[], delimiter: string): CsvRecord[] {
  const options = { delimiter, record_delimiter: '\n', relax_column_count: true, bom: false, skip_empty_lines: false } as const;
  const texts = framed.filter((r): r is { line: number; text: string } => 'text' in r);
  try {
    const rows = parse(texts.map((r) => r.text).join('\n'), options) as string[][];
    if (rows.length === texts.length) {
      let j = 0;
      return framed.map((r) => ('text' in r ? { line: r.line, fields: rows[j++]!, raw: r.text } : r));
    }
  } catch {
    // fall through: find the bad record(s) one by one
  }
  return framed.map((r) => {
    if (!('text' in r)) return r;
    try {
      const rows = parse(r.text, options) as string[][];
      if (rows.length === 1) return { line: r.line, fields: rows[0]!, raw: r.text };
      return { line: r.line, error: `malformed CSV: the record splits into ${rows.length} rows`, raw: rawOf(Buffer.from(r.text)) };
    } catch (error) {
      const message = (error as Error).message.replace(/ (?:at|on) line \d+/, '');
      return { line: r.line, error: `malformed CSV: ${message}`, raw: r.text.slice(0, MAX_RAW_KEPT) };
    }
  });
}
