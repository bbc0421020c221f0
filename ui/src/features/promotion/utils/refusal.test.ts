import { describe, expect, it } from 'vitest';
import { refusalDetails } from './refusal.ts';

describe('refusalDetails', () => {
  it('lists the failed checks of a gate refusal', () => {
    expect(refusalDetails('promotion refused by the gate: composite −0.5, p = 1e-4; not shown with 95% confidence.; FCR is worse.')).toEqual([
      'composite −0.5, p = 1e-4; not shown with 95% confidence.',
      'FCR is worse.',
    ]);
    expect(refusalDetails('the production config of web has no run')).toEqual([]);
  });
});
