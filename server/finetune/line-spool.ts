// Example lines spooled to a scratch file as they are built, so a set of any size never sits in
// memory; train and val files are then copied out of it in their final order.
import type { Hash } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

const CHUNK_BYTES = 1 << 20;

export interface SpooledLine {
  offset: number;
  length: number;
}

export class LineSpool {
  private readonly fd: number;
  private chunk: Buffer[] = [];
  private chunkBytes = 0;
  private written = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w+');
  }

  /** Appends a line (a newline is added) and says where it is. */
  append(line: string): SpooledLine {
    const buffer = Buffer.from(`${line}\n`, 'utf8');
    const at = { offset: this.written + this.chunkBytes, length: buffer.length };
    this.chunk.push(buffer);
    this.chunkBytes += buffer.length;
    if (this.chunkBytes >= CHUNK_BYTES) this.flush();
    return at;
  }

  /** Writes the given lines, in the given order, to a new file, feeding `hash` with the same bytes. */
  copyTo(path: string, lines: readonly SpooledLine[], hash: Hash): void {
    this.flush();
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
      for (const { offset, length } of lines) {
        if (used + length > buffer.length) drain();
        if (length > buffer.length) buffer = Buffer.allocUnsafe(length);
        readSync(this.fd, buffer, used, length, offset);
        used += length;
      }
      if (used > 0) drain();
    } finally {
      closeSync(out);
    }
  }

  /** Closes and deletes the scratch file. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }

  private flush(): void {
    if (this.chunkBytes === 0) return;
    const data = this.chunk.length === 1 ? this.chunk[0]! : Buffer.concat(this.chunk, this.chunkBytes);
    writeSync(this.fd, data, 0, data.length, this.written);
    this.written += data.length;
    this.chunk = [];
    this.chunkBytes = 0;
  }
}
