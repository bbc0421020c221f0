import { describe, expect, it } from 'vitest';
import { createRng, streamSeed, weighted } from './rng.ts';

describe('createRng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(sa);
  });

  it('stays in range and is roughly uniform', () => {
    const rng = createRng(7);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)]++;
    }
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(600);
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
    }
    expect(rng.digits(6)).toMatch(/^\d{6}$/);
  });

  it('gives independent streams per index', () => {
    const seeds = new Set(Array.from({ length: 10_000 }, (_, i) => streamSeed(1, i)));
    expect(seeds.size).toBe(10_000);
    expect(streamSeed(1, 5)).not.toBe(streamSeed(2, 5));
  });

  it('samples weighted tables in proportion', () => {
    const table = weighted([['a', 1], ['b', 3]]);
    const rng = createRng(3);
    let b = 0;
    for (let i = 0; i < 40_000; i++) if (table.sample(rng) === 'b') b++;
    expect(b / 40_000).toBeCloseTo(0.75, 1);
  });
});
