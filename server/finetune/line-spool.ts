// Example lines spooled to scratch files as they are built (one file per worker), so a set of any size
// never sits in memory; train and val files are then copied out of them in their final order.
import type { Hash } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

const CHUNK_BYTES = 1 << 20;

export interface SpooledLine {
  /** Which spool file (index into the paths given to copySpooled). */
  spool: number;
  offset: number;
  length: number;
}

export class LineSpool {
  private readonly fd: number;
  /** Lines waiting to be written, encoded straight into one buffer (no per-line string or Buffer). */
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private chunkBytes = 0;
  private written = 0;
  private closed = false;

  constructor(
    readonly path: string,
    readonly index = 0,
  ) {
    this.fd = openSync(path, 'w');
  }

  /** Appends a line (a newline is added) and says where it is. */
  append(line: string): SpooledLine {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    const worst = line.length * 3 + 1;
    if (this.chunkBytes + worst > CHUNK_BYTES) this.flush();
    const offset = this.written + this.chunkBytes;
    if (worst > CHUNK_BYTES) {
      const buffer = Buffer.from(`${line}\n`, 'utf8');
      writeSync(this.fd, buffer, 0, buffer.length, this.written);
      this.written += buffer.length;
      return { spool: this.index, offset, length: buffer.length };
    }
    const length = this.chunk.write(line, this.chunkBytes, 'utf8') + 1;
    this.chunk[this.chunkBytes + length - 1] = 0x0a;
    this.chunkBytes += length;
    return { spool: this.index, offset, length };
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

/** Writes the given lines, in the given order, from closed spool files to a new file, feeding `hash` with the same bytes. */
export function copySpooled(path: string, lines: readonly SpooledLine[], spools: readonly string[], hash: Hash): void {
  const fds = spools.map((p) => openSync(p, 'r'));
  const out = openSync(path, 'w');
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let used = 0;
    const drain = () => {
      const slice = buffer.subarray(0, used);
      hash.update(slice);
      writeSync(out, slice);
      used = 0;
    };
    for (const { spool, offset, length } of lines) {
      if (used + length > buffer.length) drain();
      if (length > buffer.length) buffer = Buffer.allocUnsafe(length);
      let read = 0;
      while (read < length) {
        const n = readSync(fds[spool]!, buffer, used + read, length - read, offset + read);
        if (n === 0) throw new Error(`spool ${spools[spool]} ends before byte ${offset + length}`);
        read += n;
      }
      used += length;
    }
    if (used > 0) drain();
  } finally {
    closeSync(out);
    for (const fd of fds) closeSync(fd);
  }
}

/** Deletes spool files (missing ones are fine). */
export function removeSpools(paths: readonly string[]): void {
  for (const p of paths) rmSync(p, { force: true });
}
