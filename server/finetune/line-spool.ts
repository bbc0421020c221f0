// Example lines spooled to scratch files as they are built (one file per worker), so a set of any size
// never sits in memory; train and val files are then copied out of them in their final order. A long
// text that nearly every line repeats (a prompt's policy: over half of a chat example) can be left out
// of the spool and put back when the line is copied, so the scratch files hold less than half as much.
import type { Hash } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { BlockWriter } from './block-writer.ts';

const CHUNK_BYTES = 1 << 20;

export interface SpooledLine {
  /** Which spool file (index into the paths given to copySpooled). */
  spool: number;
  offset: number;
  /** Bytes in the spool, the newline included (the left-out text not). */
  length: number;
  /** Which text of the spool's `repeated` list was left out of the stored bytes … */
  omitted?: number;
  /** … and the byte, within them, where it goes back in. */
  at?: number;
}

/**
 * The texts a spool may leave out of its lines, in the order they are looked for. A text that begins
 * or ends with half a surrogate pair is not used: cutting there could change how the line encodes.
 */
function usableTexts(texts: readonly string[]): string[] {
  const half = (code: number) => code >= 0xd800 && code <= 0xdfff;
  return texts.filter((t) => t.length > 0 && !half(t.charCodeAt(0)) && !half(t.charCodeAt(t.length - 1)));
}

export class LineSpool {
  private readonly fd: number;
  /** Lines waiting to be written, encoded straight into one buffer (no per-line string or Buffer). */
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private chunkBytes = 0;
  private written = 0;
  private closed = false;

  private readonly repeated: readonly string[];

  /** `repeated`: texts to leave out of the lines that hold them (the first found, once); copySpooled needs the same list. */
  constructor(
    readonly path: string,
    readonly index = 0,
    repeated: readonly string[] = [],
  ) {
    this.fd = openSync(path, 'w');
    this.repeated = usableTexts(repeated);
  }

  /** Appends a line (a newline is added) and says where it is. */
  append(line: string): SpooledLine {
    for (let i = 0; i < this.repeated.length; i++) {
      const text = this.repeated[i]!;
      const cut = line.indexOf(text);
      if (cut >= 0) return this.store(line.slice(0, cut), line.slice(cut + text.length), i);
    }
    return this.store(line, '', -1);
  }

  private store(head: string, tail: string, omitted: number): SpooledLine {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    const worst = (head.length + tail.length) * 3 + 1;
    if (this.chunkBytes + worst > CHUNK_BYTES) this.flush();
    const offset = this.written + this.chunkBytes;
    let at: number;
    let length: number;
    if (worst > CHUNK_BYTES) {
      const first = Buffer.from(head, 'utf8');
      const buffer = Buffer.concat([first, Buffer.from(`${tail}\n`, 'utf8')]);
      writeSync(this.fd, buffer, 0, buffer.length, this.written);
      this.written += buffer.length;
      at = first.length;
      length = buffer.length;
    } else {
      at = this.chunk.write(head, this.chunkBytes, 'utf8');
      length = at + this.chunk.write(tail, this.chunkBytes + at, 'utf8') + 1;
      this.chunk[this.chunkBytes + length - 1] = 0x0a;
      this.chunkBytes += length;
    }
    return omitted < 0 ? { spool: this.index, offset, length } : { spool: this.index, offset, length, omitted, at };
  }

  /** Writes out what is buffered and closes the file (it stays, for copySpooled). */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.chunkBytes === 0) return;
    writeSync(this.fd, this.chunk, 0, this.chunkBytes, this.written);
    this.written += this.chunkBytes;
    this.chunkBytes = 0;
  }
}

/**
 * Writes the given lines, in the given order, from closed spool files to a new file (past the page
 * cache where the file system allows: block-writer.ts), feeding `hash` with the same bytes; `repeated`
 * is the list the spools were given (left-out texts go back in). `direct: false` writes buffered.
 */
export function copySpooled(
  path: string,
  lines: readonly SpooledLine[],
  spools: readonly string[],
  hash: Hash,
  repeated: readonly string[] = [],
  options: { direct?: boolean } = {},
): void {
  const texts = usableTexts(repeated).map((t) => Buffer.from(t, 'utf8'));
  const fds = spools.map((p) => openSync(p, 'r'));
  let out: BlockWriter | undefined;
  try {
    out = new BlockWriter(path, { bufferBytes: CHUNK_BYTES, direct: options.direct, onBytes: (bytes) => hash.update(bytes) });
    for (const { spool, offset, length, omitted, at } of lines) {
      const text = omitted === undefined ? undefined : texts[omitted];
      if (omitted !== undefined && text === undefined) throw new Error(`a line of spool ${spools[spool]} left out text ${omitted}, which copySpooled was not given`);
      const extra = text?.length ?? 0;
      const buffer = out.reserve(length + extra);
      const used = out.used;
      // The stored bytes are read in after room for the left-out text; their head then moves into place before it.
      let read = 0;
      while (read < length) {
        const n = readSync(fds[spool]!, buffer, used + extra + read, length - read, offset + read);
        if (n === 0) throw new Error(`spool ${spools[spool]} ends before byte ${offset + length}`);
        read += n;
      }
      if (text) {
        buffer.copy(buffer, used, used + extra, used + extra + at!);
        text.copy(buffer, used + at!);
      }
      out.advance(length + extra);
    }
    out.close();
  } finally {
    out?.abort();
    for (const fd of fds) closeSync(fd);
  }
}

/** Deletes spool files (missing ones are fine). */
export function removeSpools(paths: readonly string[]): void {
  for (const p of paths) rmSync(p, { force: true });
}
