import { describe, expect, it } from 'vitest';
import { NUM_HASHES, NearDuplicateIndex, estimateJaccard, minhash, shingleHashes } from './near-duplicates.ts';

function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  const x = new Set(a);
  const y = new Set(b);
  let both = 0;
  for (const v of x) if (y.has(v)) both++;
  return both / (x.size + y.size - both);
}

describe('MinHash', () => {
  it('estimates Jaccard similarity of shingle sets within a few points', () => {
    const a = shingleHashes('My phone screen cracked after one week, can I get it repaired for free under the warranty?', 'en');
    const b = shingleHashes('My phone screen cracked after two weeks, can I get it repaired for free under warranty please?', 'en');
    expect(Math.abs(estimateJaccard(minhash(a)!, minhash(b)!) - exactJaccard(a, b))).toBeLessThan(0.15);
    expect(estimateJaccard(minhash(a)!, minhash(a)!)).toBe(1);
  });

  it('gives the signature of the plain definition: per seed, the least murmur3-finalised shingle ^ seed as uint32', () => {
    // The seeds and hash family as first written, one shingle at a time: sets built before and after any
    // speed-up must exclude the same dialogues.
    const seeds: number[] = [];
    let x = 0x9e3779b9;
    for (let i = 0; i < NUM_HASHES; i++) seeds.push((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0));
    const plain = (shingles: Uint32Array) =>
      seeds.map((seed) => {
        let least = 0xffffffff;
        for (const v of shingles) {
          let h = v ^ seed;
          h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
          h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
          least = Math.min(least, (h ^ (h >>> 16)) >>> 0);
        }
        return least;
      });
    let seed = 5;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const edges = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff];
    for (let n = 1; n < 200; n += 7) {
      const shingles = Uint32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? edges[rand() % edges.length]! : rand()));
      expect([...minhash(shingles)!]).toEqual(plain(shingles));
    }
    const text = shingleHashes('我上周在你们官网买的笔记本电脑开机以后一直蓝屏', 'zh');
    expect([...minhash(text)!]).toEqual(plain(text));
  });

  it('ignores spacing, case and full-width forms', () => {
    expect(shingleHashes('ＰＨＯＮＥ  Ｘ broken', 'en')).toEqual(shingleHashes('phone x broken', 'en'));
    expect(minhash(shingleHashes('   ', 'zh'))).toBeNull();
  });
});

describe('NearDuplicateIndex', () => {
  const index = new NearDuplicateIndex(0.8);
  index.add('suite-1', '我上周在你们官网买的笔记本电脑开机以后一直蓝屏，重装系统也没有用，请问能不能直接换一台新的？', 'zh');
  index.add('suite-2', 'The router I bought keeps dropping the connection every evening, what should I do?', 'en');

  it('finds a near copy and names the suite dialogue', () => {
    const hit = index.match('我上周在你们官网买的笔记本电脑开机以后一直蓝屏，重装系统也没有用，请问能不能直接换一台新的？谢谢', 'zh');
    expect(hit?.id).toBe('suite-1');
    expect(hit!.similarity).toBeGreaterThanOrEqual(0.8);
    expect(index.match('The router I bought keeps dropping the connection every evening, what should I do??', 'en')?.id).toBe('suite-2');
  });

  it('lets different dialogues through', () => {
    expect(index.match('耳机左边没有声音了，可以换吗？', 'zh')).toBeUndefined();
    expect(index.match('How long is the warranty on a laptop battery?', 'en')).toBeUndefined();
    expect(new NearDuplicateIndex(0.8).match('anything', 'en')).toBeUndefined();
  });

  it('rejects a threshold outside (0, 1]', () => {
    expect(() => new NearDuplicateIndex(0)).toThrow(RangeError);
  });
});

describe('NearDuplicateIndex against a brute-force LSH', () => {
  it('finds exactly the match a plain scan of shared bands finds (same dialogue, same similarity)', () => {
    // Near copies of a few templates, so many pairs share bands and some cross the threshold.
    const words = ['屏幕', '碎了', '保修', '订单', '退货', '发货', '耳机', '电池', '充电', '维修', '换货', '发票'];
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const text = (base: number, noise: number) => Array.from({ length: 14 }, (_, i) => (rand() < noise ? words[Math.floor(rand() * words.length)] : words[(base + i * 5) % words.length])).join('');
    let matched = 0;
    for (const threshold of [0.5, 0.8]) {
      const index = new NearDuplicateIndex(threshold);
      const rows = threshold >= 0.6 ? 4 : 2;
      const suite = Array.from({ length: 60 }, (_, i) => {
        const t = text(i % 6, 0.15);
        index.add(`s${i}`, t, 'zh');
        return { id: `s${i}`, sig: minhash(shingleHashes(t, 'zh'))! };
      });
      for (let q = 0; q < 200; q++) {
        const t = text(q % 6, q % 3 === 0 ? 0.05 : 0.4);
        const sig = minhash(shingleHashes(t, 'zh'))!;
        // As the index has always scanned: band by band, each suite dialogue once, the first best kept.
        let best: { id: string; similarity: number } | undefined;
        const seen = new Set<string>();
        for (let b = 0; b < NUM_HASHES / rows; b++) {
          for (const s of suite) {
            if (seen.has(s.id) || !sig.subarray(b * rows, (b + 1) * rows).every((v, i) => v === s.sig[b * rows + i])) continue;
            seen.add(s.id);
            const similarity = estimateJaccard(sig, s.sig);
            if (similarity >= threshold && (!best || similarity > best.similarity)) best = { id: s.id, similarity };
          }
        }
        expect(index.match(t, 'zh')).toEqual(best);
        if (best) matched++;
      }
    }
    expect(matched).toBeGreaterThan(20);
  });
});
