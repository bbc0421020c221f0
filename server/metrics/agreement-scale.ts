// One scale for agreement statistics (Cohen's kappa, weighted kappa), shared by `firstcall
// calibrate`, the eval and promotion gates and the Agreement page, so the same number always gets the
// same word. Landis & Koch (1977), with each band's lower bound included: 0.596 is "moderate"
// everywhere. No imports: the UI imports this file as is.

export const AGREEMENT_BANDS = ['poor', 'slight', 'fair', 'moderate', 'substantial', 'almost_perfect'] as const;
export type AgreementBand = (typeof AGREEMENT_BANDS)[number];

/** Lower bounds, highest first. */
const LOWER_BOUNDS: ReadonlyArray<readonly [AgreementBand, number]> = [
  ['almost_perfect', 0.8],
  ['substantial', 0.6],
  ['moderate', 0.4],
  ['fair', 0.2],
  ['slight', 0],
];

/** The band of a kappa, or null when there is none to place. */
export function agreementBand(kappa: number | null | undefined): AgreementBand | null {
  if (kappa === null || kappa === undefined || Number.isNaN(kappa)) return null;
  for (const [band, low] of LOWER_BOUNDS) if (kappa >= low) return band;
  return 'poor';
}

/** English words for a band, as the CLI prints them ("almost perfect"). */
export const BAND_WORDS: Readonly<Record<AgreementBand, string>> = {
  poor: 'poor',
  slight: 'slight',
  fair: 'fair',
  moderate: 'moderate',
  substantial: 'substantial',
  almost_perfect: 'almost perfect',
};

/** How far to trust a number in a band: good (substantial or better), tentative (moderate), low (below). */
export type TrustLevel = 'good' | 'tentative' | 'low' | 'none';

export function bandTrust(band: AgreementBand | null): TrustLevel {
  if (band === null) return 'none';
  return band === 'almost_perfect' || band === 'substantial' ? 'good' : band === 'moderate' ? 'tentative' : 'low';
}

/** What a band means for an automatic scorer checked against reviewers (calibrate's verdict). */
export const BAND_ADVICE: Readonly<Record<AgreementBand, string>> = {
  almost_perfect: 'almost perfect agreement with reviewers: safe to gate on',
  substantial: 'substantial agreement: fine for trends and gates with some margin',
  moderate: 'moderate agreement: use for trends, check gate failures by hand',
  fair: 'fair agreement: a rough signal only',
  slight: 'slight agreement: do not rely on this scorer',
  poor: 'no agreement beyond chance: do not rely on this scorer',
};
