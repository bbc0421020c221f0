import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../test-support/temp.ts';
import { BlockWriter } from './block-writer.ts';

// A file system that refuses O_DIRECT, at open or at the first write, is simulated here: this
// machine's file systems all take it.
const refuse = vi.hoisted(() => ({ at: undefined as 'open' | 'write' | undefined, directFds: new Set<number>() }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const einval = () => Object.assign(new Error('EINVAL: invalid argument'), { code: 'EINVAL' });
  return {
    ...real,
    openSync: (path: fs.PathLike, flags: number, mode?: fs.Mode) => {
      const direct = typeof flags === 'number' && (flags & real.constants.O_DIRECT) !== 0;
      if (direct && refuse.at === 'open') throw einval();
      const fd = real.openSync(path, flags, mode);
      if (direct) refuse.directFds.add(fd);
      return fd;
    },
    writeSync: (fd: number, ...rest: unknown[]) => {
      if (refuse.at === 'write' && refuse.directFds.has(fd)) throw einval();
      return (real.writeSync as (fd: number, ...a: unknown[]) => number)(fd, ...rest);
    },
    closeSync: (fd: number) => {
      refuse.directFds.delete(fd);
      real.closeSync(fd);
    },
  };
});

const dir = tempDir('firstcall-block-writer-');

/** Whether the folder's file system takes O_DIRECT (this machine's ext4 and tmpfs do). */
function takesDirectWrites(folder: string): boolean {
  try {
    fs.closeSync(fs.openSync(join(folder, 'probe'), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_DIRECT));
    return true;
  } catch {
    return false;
  }
}

afterEach(() => {
  refuse.at = undefined;
});

/** Pieces of every size around the block and the buffer: empty, one byte, 4095-4097, over the buffer. */
function pieces(): Buffer[] {
  const sizes = [0, 1, 4095, 4096, 4097, 100, 70_000, 3, 65_536, 200_000, 1, 131_073, 9];
  return sizes.map((n, i) => Buffer.alloc(n, 97 + (i % 26)));
}

function writeAll(path: string, options: { direct?: boolean } = {}): { writer: BlockWriter; seen: Buffer } {
  const seen: Buffer[] = [];
  const writer = new BlockWriter(path, { bufferBytes: 65_536, ...options, onBytes: (b) => seen.push(Buffer.from(b)) });
  for (const piece of pieces()) writer.write(piece);
  writer.close();
  return { writer, seen: Buffer.concat(seen) };
}

describe('block writer', () => {
  const expected = Buffer.concat(pieces());

  it('writes exactly the bytes given, past the page cache, across flushes, growth and a partial last block', () => {
    const path = join(dir, 'direct.bin');
    const { writer, seen } = writeAll(path);
    expect(writer.isDirect).toBe(takesDirectWrites(dir));
    const file = fs.readFileSync(path);
    expect(file.length).toBe(expected.length);
    expect(file.equals(expected)).toBe(true);
    expect(seen.equals(expected)).toBe(true);
  });

  it('writes the same bytes buffered when asked to', () => {
    const path = join(dir, 'buffered.bin');
    const { writer, seen } = writeAll(path, { direct: false });
    expect(writer.isDirect).toBe(false);
    expect(fs.readFileSync(path).equals(expected)).toBe(true);
    expect(createHash('sha256').update(seen).digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
  });

  it('falls back to buffered writes where the file system refuses O_DIRECT at open', () => {
    refuse.at = 'open';
    const path = join(dir, 'refused-open.bin');
    const { writer } = writeAll(path);
    expect(writer.isDirect).toBe(false);
    expect(fs.readFileSync(path).equals(expected)).toBe(true);
  });

  it('falls back to buffered writes where the file system takes O_DIRECT at open but refuses the first write', () => {
    refuse.at = 'write';
    const path = join(dir, 'refused-write.bin');
    const { writer, seen } = writeAll(path);
    expect(writer.isDirect).toBe(false);
    expect(fs.readFileSync(path).equals(expected)).toBe(true);
    expect(seen.equals(expected)).toBe(true);
  });

  it('writes an empty file when given nothing, and replaces what the path held', () => {
    const path = join(dir, 'empty.bin');
    fs.writeFileSync(path, 'old contents');
    new BlockWriter(path).close();
    expect(fs.readFileSync(path).length).toBe(0);
  });

  it('leaves the bytes in place when a piece is put straight into the reserved room', () => {
    const path = join(dir, 'reserve.bin');
    const writer = new BlockWriter(path, { bufferBytes: 65_536 });
    const parts: Buffer[] = [];
    for (let i = 0; i < 50; i++) {
      const text = `line ${i} ${'長'.repeat(i * 97)}\n`;
      const bytes = Buffer.byteLength(text);
      const buffer = writer.reserve(bytes);
      expect(buffer.write(text, writer.used, 'utf8')).toBe(bytes);
      writer.advance(bytes);
      parts.push(Buffer.from(text));
    }
    writer.close();
    expect(fs.readFileSync(path).equals(Buffer.concat(parts))).toBe(true);
  });
});
