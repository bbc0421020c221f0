// Where agreement is too low to trust: Krippendorff's usual cut-offs for alpha, and for kappa the
// Landis & Koch scale shared with `firstcall calibrate` and the gates (server/metrics/agreement-scale.ts),
// so the same kappa gets the same word everywhere.
import { agreementBand, bandTrust, type AgreementBand } from '../../../../../server/metrics/agreement-scale.ts';

export type Level = 'good' | 'tentative' | 'low' | 'none';
export type { AgreementBand };

/** alpha >= 0.8 reliable, >= 0.667 tentative conclusions only, below that low. */
export function alphaLevel(alpha: number | null): Level {
  if (alpha === null || Number.isNaN(alpha)) return 'none';
  return alpha >= 0.8 ? 'good' : alpha >= 0.667 ? 'tentative' : 'low';
}

/** Kappa's Landis & Koch band: substantial or better good, moderate tentative, below that low. */
export function kappaLevel(kappa: number | null): Level {
  return bandTrust(agreementBand(kappa));
}

/** Kappa's band name (for `agreement.band.<band>`), or null. */
export function kappaBand(kappa: number | null): AgreementBand | null {
  return agreementBand(kappa);
}

export function disagreementLevel(rate: number | null): Level {
  if (rate === null || Number.isNaN(rate)) return 'none';
  return rate <= 0.1 ? 'good' : rate <= 0.25 ? 'tentative' : 'low';
}

/** Reviewer pairs across all fields, in a stable order. */
export function reviewerPairs(fields: readonly { pairs: readonly { a: string; b: string }[] }[]): { a: string; b: string }[] {
  const seen = new Map<string, { a: string; b: string }>();
  for (const field of fields) {
    for (const { a, b } of field.pairs) {
      const [x, y] = a <= b ? [a, b] : [b, a];
      seen.set(`${x}\u0000${y}`, { a: x, b: y });
    }
  }
  return [...seen.values()].sort((p, q) => p.a.localeCompare(q.a) || p.b.localeCompare(q.b));
}
