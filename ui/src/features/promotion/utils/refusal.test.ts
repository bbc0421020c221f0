import { describe, expect, it } from 'vitest';
import { isIncompleteRunRefusal, refusalDetails } from './refusal.ts';

describe('refusalDetails', () => {
  it('lists the failed checks of a gate refusal', () => {
    expect(refusalDetails('promotion refused by the gate: composite −0.5, p = 1e-4; not shown with 95% confidence.; FCR is worse.')).toEqual([
      'composite −0.5, p = 1e-4; not shown with 95% confidence.',
      'FCR is worse.',
    ]);
    expect(refusalDetails('the production config of web has no run')).toEqual([]);
  });
});

describe('isIncompleteRunRefusal', () => {
  it('tells a refused incomplete run (not forcible) from a gate refusal (forcible by an admin)', () => {
    expect(isIncompleteRunRefusal('promotion refused: run run-1-abc is incomplete: 74 of 74 cases failed (first error: boom). A run with failed cases cannot be promoted')).toBe(true);
    expect(isIncompleteRunRefusal('promotion refused by the gate: FCR is worse.')).toBe(false);
  });
});
