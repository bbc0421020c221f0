import { describe, expect, it } from 'vitest';
import { agreementBand, bandTrust } from './agreement-scale.ts';

describe('agreement scale (Landis & Koch)', () => {
  it('places kappas in bands, lower bounds included', () => {
    expect([0.85, 0.8, 0.65, 0.596, 0.4, 0.25, 0.05, -0.1].map(agreementBand)).toEqual(['almost_perfect', 'almost_perfect', 'substantial', 'moderate', 'moderate', 'fair', 'slight', 'poor']);
    expect(agreementBand(null)).toBeNull();
    expect(agreementBand(NaN)).toBeNull();
  });

  it('tone kappa 0.596 is moderate, not substantial, and tentative to trust', () => {
    expect(bandTrust(agreementBand(0.596))).toBe('tentative');
    expect(bandTrust(agreementBand(0.61))).toBe('good');
    expect(bandTrust(agreementBand(0.3))).toBe('low');
  });
});
