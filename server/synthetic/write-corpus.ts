// Streams a generated corpus to canonical JSONL: one dialogue per line, customers either as their
// own lines in the same file (the ingest reads both kinds from one file) or in a sibling file.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { generateCorpus, type CorpusOptions } from './generate-corpus.ts';

export interface WriteCorpusOptions extends CorpusOptions {
  /** A file path, or a stream (which is left open). */
  out: string | Writable;
  /** Where customer lines go instead of `out`. */
  customersOut?: string | Writable;
}

export interface WriteCorpusResult {
  dialogues: number;
  customers: number;
  /** UTF-8 bytes written to `out` (customer lines included when they share it) and to `customersOut`. */
  bytes: number;
  customerBytes: number;
}

/** Bytes gathered before one write: big writes keep the per-call overhead negligible. */
const CHUNK_BYTES = 1 << 20;

/**
 * Encodes lines straight into a chunk buffer (much cheaper than joining strings and encoding the
 * join) and writes each full chunk, waiting for 'drain' when the stream asks it to.
 */
class LineSink {
  bytes = 0;
  private readonly stream: Writable;
  private readonly owned: boolean;
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private failure: Error | undefined;

  constructor(target: string | Writable) {
    this.owned = typeof target === 'string';
    // Room for a few chunks, so generation goes on while the previous chunk is being written.
    this.stream = typeof target === 'string' ? createWriteStream(target, { highWaterMark: 4 * CHUNK_BYTES }) : target;
    // Keep an 'error' (say, the file cannot be opened) from crashing the process while we are
    // busy elsewhere; it is rethrown at the next write.
    this.stream.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  /** Adds one line; resolves at once unless a chunk had to be written first. */
  push(line: string): Promise<void> | undefined {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    const worst = line.length * 3 + 1;
    let pending: Promise<void> | undefined;
    if (this.used + worst > this.chunk.length) {
      pending = this.flush();
      if (worst > this.chunk.length) this.chunk = Buffer.allocUnsafe(worst);
    }
    this.used += this.chunk.write(line, this.used, 'utf8');
    this.chunk[this.used++] = 10;
    return pending;
  }

  /** Hands the filled part of the chunk to the stream and starts a fresh chunk. */
  flush(): Promise<void> | undefined {
    if (this.failure !== undefined) throw this.failure;
    if (this.used === 0) return undefined;
    const filled = this.chunk.subarray(0, this.used);
    this.bytes += this.used;
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, this.chunk.length));
    this.used = 0;
    return this.stream.write(filled) ? undefined : once(this.stream, 'drain').then(() => undefined); // rejects on 'error'
  }

  /** Abandons a stream this sink opened (after an error). */
  destroy(): void {
    if (this.owned) this.stream.destroy();
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.owned) {
      this.stream.end();
      await finished(this.stream);
    }
  }
}

export async function writeCorpus(options: WriteCorpusOptions): Promise<WriteCorpusResult> {
  const { out, customersOut, ...corpus } = options;
  if (typeof out === 'string' && out.length === 0) throw new Error('writeCorpus: `out` is empty');
  const main = new LineSink(out);
  const side = customersOut === undefined ? main : new LineSink(customersOut);
  let dialogues = 0;
  let customers = 0;
  try {
    for (const item of generateCorpus(corpus)) {
      let pending: Promise<void> | undefined;
      if (item.kind === 'dialogue') {
        pending = main.push(JSON.stringify(item.dialogue));
        dialogues++;
      } else {
        pending = side.push(JSON.stringify(item.customer));
        customers++;
      }
      if (pending !== undefined) await pending;
    }
    await main.close();
    if (side !== main) await side.close();
  } catch (err) {
    main.destroy();
    side.destroy();
    throw err;
  }
  return { dialogues, customers, bytes: main.bytes, customerBytes: side === main ? 0 : side.bytes };
}
