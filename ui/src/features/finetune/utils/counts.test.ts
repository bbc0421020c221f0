import { describe, expect, it } from 'vitest';
import { sortedCounts } from './counts.ts';

describe('sortedCounts', () => {
  it('orders the largest count first and ties by name', () => {
    expect(sortedCounts({ b: 2, a: 2, c: 5, d: 0 })).toEqual([
      ['c', 5],
      ['a', 2],
      ['b', 2],
      ['d', 0],
    ]);
  });
});
