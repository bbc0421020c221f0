import { describe, expect, it } from 'vitest';
import { alphaLevel, disagreementLevel, kappaBand, kappaLevel, reviewerPairs } from './agreement-levels.ts';

describe('agreement levels', () => {
  it('flags low alpha and kappa', () => {
    expect([alphaLevel(0.9), alphaLevel(0.7), alphaLevel(0.2), alphaLevel(null)]).toEqual(['good', 'tentative', 'low', 'none']);
    expect([kappaLevel(0.85), kappaLevel(0.65), kappaLevel(0.5), kappaLevel(-0.1), kappaLevel(null)]).toEqual(['good', 'good', 'tentative', 'low', 'none']);
    expect([disagreementLevel(0.05), disagreementLevel(0.2), disagreementLevel(0.6)]).toEqual(['good', 'tentative', 'low']);
  });

  it('names kappa on the same Landis & Koch scale as calibrate: 0.596 is moderate everywhere', () => {
    expect([0.9, 0.65, 0.596, 0.3, 0.1, -0.2].map(kappaBand)).toEqual(['almost_perfect', 'substantial', 'moderate', 'fair', 'slight', 'poor']);
  });

  it('collects reviewer pairs across fields once, in order', () => {
    const pairs = reviewerPairs([{ pairs: [{ a: 'bob', b: 'alice' }] }, { pairs: [{ a: 'alice', b: 'bob' }, { a: 'alice', b: 'carol' }] }]);
    expect(pairs).toEqual([
      { a: 'alice', b: 'bob' },
      { a: 'alice', b: 'carol' },
    ]);
  });
});
