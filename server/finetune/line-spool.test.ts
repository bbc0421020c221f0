import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp.ts';
import { LineSpool, copySpooled, type SpooledLine } from './line-spool.ts';

const dir = tempDir('firstcall-line-spool-');

/** Lines of every kind a set holds: ASCII, Chinese, emoji, a lone surrogate, empty, and some longer than the spool's 1 MiB buffer. */
function lines(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const kind = i % 6;
    if (kind === 0) out.push(`{"messages":[{"role":"user","content":"order ${i}"}]}`);
    else if (kind === 1) out.push(`保修至2027-01-12，还剩${i}天。`.repeat(1 + (i % 50)));
    else if (kind === 2) out.push(`emoji 😀 ${i} \ud83d`);
    else if (kind === 3) out.push('');
    else if (kind === 4) out.push('x'.repeat(200 + i));
    else out.push(`${'長'.repeat(i % 997)}é`);
  }
  out.splice(1234, 0, '大'.repeat(400_000)); // over 1 MiB in UTF-8 (and over the buffer at 3 bytes a unit)
  out.splice(2345, 0, 'a'.repeat((1 << 20) + 5));
  return out;
}

describe('line spool', () => {
  it('writes each line as its UTF-8 bytes plus a newline and says where it is, across buffer flushes and oversized lines', () => {
    const all = lines();
    const path = join(dir, 'a.tmp');
    const spool = new LineSpool(path, 0);
    const at = all.map((l) => spool.append(l));
    spool.close();
    const expected = Buffer.concat(all.map((l) => Buffer.from(`${l}\n`, 'utf8')));
    const file = readFileSync(path);
    expect(file.equals(expected)).toBe(true);
    let offset = 0;
    for (let i = 0; i < all.length; i++) {
      const bytes = Buffer.byteLength(`${all[i]}\n`, 'utf8');
      expect(at[i]).toEqual({ spool: 0, offset, length: bytes });
      offset += bytes;
    }
  });

  it('copies lines from several spools in the order asked, hashing exactly the bytes written, direct or buffered alike', () => {
    const all = lines();
    const paths = [join(dir, 'b0.tmp'), join(dir, 'b1.tmp')];
    const spools = paths.map((p, i) => new LineSpool(p, i));
    const at: SpooledLine[] = all.map((l, i) => spools[i % 2]!.append(l));
    for (const s of spools) s.close();
    const order = all.map((_, i) => i).reverse();
    const hash = createHash('sha256');
    const out = join(dir, 'b.jsonl');
    copySpooled(out, order.map((i) => at[i]!), paths, hash);
    const expected = Buffer.concat(order.map((i) => Buffer.from(`${all[i]}\n`, 'utf8')));
    expect(readFileSync(out).equals(expected)).toBe(true);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
    // Written buffered instead of past the page cache: the same bytes.
    const buffered = join(dir, 'b-buffered.jsonl');
    copySpooled(buffered, order.map((i) => at[i]!), paths, createHash('sha256'), [], { direct: false });
    expect(readFileSync(buffered).equals(expected)).toBe(true);
  });

  it('leaves a repeated text out of the spool and puts it back byte for byte when copying, wherever it sits in the line', () => {
    const policy = JSON.stringify('服务政策：\n1. 保修 "12个月"\n'.repeat(40)).slice(1, -1);
    const english = 'Policy: 1. Warranty\\n'.repeat(30);
    const repeated = [policy, english, '\udc00 starts with half a pair'];
    const all = [
      `{"messages":[{"role":"system","content":"你好${policy}再见"}]}`,
      `${policy}`,
      `at the end ${english}`,
      `emoji 😀 before ${policy} and \ud83d after`,
      `no repeated text here`,
      `both ${english} and ${policy}`,
      `\udc00 starts with half a pair: never left out`,
      `${'大'.repeat(400_000)}${policy}`, // over the 1 MiB buffer
      '',
    ];
    const paths = [join(dir, 'c0.tmp'), join(dir, 'c1.tmp')];
    const spools = paths.map((p, i) => new LineSpool(p, i, repeated));
    const at = all.map((l, i) => spools[i % 2]!.append(l));
    for (const s of spools) s.close();
    expect(at.map((a) => a.omitted)).toEqual([0, 0, 1, 0, undefined, 0, undefined, 0, undefined]);
    const stored = paths.reduce((n, p) => n + readFileSync(p).length, 0);
    const whole = all.reduce((n, l) => n + Buffer.byteLength(`${l}\n`, 'utf8'), 0);
    expect(stored).toBe(whole - 5 * Buffer.byteLength(policy, 'utf8') - Buffer.byteLength(english, 'utf8'));

    const order = [8, 3, 0, 7, 5, 1, 6, 2, 4];
    const hash = createHash('sha256');
    const out = join(dir, 'c.jsonl');
    copySpooled(out, order.map((i) => at[i]!), paths, hash, repeated);
    const expected = Buffer.concat(order.map((i) => Buffer.from(`${all[i]}\n`, 'utf8')));
    expect(readFileSync(out).equals(expected)).toBe(true);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(() => copySpooled(join(dir, 'd.jsonl'), [at[0]!], paths, createHash('sha256'))).toThrow(/left out text 0/);
  });
});

