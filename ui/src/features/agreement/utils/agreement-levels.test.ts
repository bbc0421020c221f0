import { describe, expect, it } from 'vitest';
import { alphaLevel, disagreementLevel, kappaLevel, reviewerPairs } from './agreement-levels.ts';

describe('agreement levels', () => {
  it('flags low alpha and kappa', () => {
    expect([alphaLevel(0.9), alphaLevel(0.7), alphaLevel(0.2), alphaLevel(null)]).toEqual(['good', 'tentative', 'low', 'none']);
    expect([kappaLevel(0.85), kappaLevel(0.65), kappaLevel(-0.1)]).toEqual(['good', 'tentative', 'low']);
    expect([disagreementLevel(0.05), disagreementLevel(0.2), disagreementLevel(0.6)]).toEqual(['good', 'tentative', 'low']);
  });

  it('collects reviewer pairs across fields once, in order', () => {
    const pairs = reviewerPairs([{ pairs: [{ a: 'bob', b: 'alice' }] }, { pairs: [{ a: 'alice', b: 'bob' }, { a: 'alice', b: 'carol' }] }]);
    expect(pairs).toEqual([
      { a: 'alice', b: 'bob' },
      { a: 'alice', b: 'carol' },
    ]);
  });
});
