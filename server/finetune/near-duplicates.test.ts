import { describe, expect, it } from 'vitest';
import { NearDuplicateIndex, estimateJaccard, minhash, shingleHashes } from './near-duplicates.ts';

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
