// Pure statistics of the insights: intervals from aggregated moments (what SQL returns), the
// chi-square test of channel × resolution, one-sided drop tests and Benjamini–Hochberg.
import type { Estimate } from '../domain/trends.ts';
import { wilsonInterval } from '../metrics/confidence-interval.ts';
import { chiSquareSurvival, normalCdf, studentTQuantile, studentTSurvival } from '../metrics/special-functions.ts';

/** n values summed (`sum`) and their squares summed (`sumSq`), as SQL aggregates them. */
export interface Moments {
  n: number;
  sum: number;
  sumSq: number;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Variance of the sample (n − 1), never below 0 (rounding of big sums). */
export function momentsVariance(m: Moments): number {
  if (m.n < 2) return NaN;
  return Math.max(0, (m.sumSq - (m.sum * m.sum) / m.n) / (m.n - 1));
}

/** Mean with its Student t interval (default 95%); null when n = 0, bounds null when n = 1. */
export function meanEstimate(m: Moments, options: { level?: number; range?: readonly [number, number] } = {}): Estimate | null {
  if (m.n <= 0) return null;
  const mean = m.sum / m.n;
  if (m.n === 1) return { value: mean, low: null, high: null, n: 1 };
  const level = options.level ?? 0.95;
  const half = studentTQuantile(1 - (1 - level) / 2, m.n - 1) * Math.sqrt(momentsVariance(m) / m.n);
  let low = mean - half;
  let high = mean + half;
  if (options.range) {
    low = Math.max(options.range[0], low);
    high = Math.min(options.range[1], high);
  }
  return { value: mean, low: finite(low), high: finite(high), n: m.n };
}

/** A share with its Wilson interval; null when n = 0. */
export function rateEstimate(successes: number, n: number, level = 0.95): Estimate | null {
  const w = wilsonInterval(successes, n, { level });
  return w === null ? null : { value: w.mean, low: w.low, high: w.high, n };
}

/**
 * Ratio Σc / Σr (e.g. cost per resolution) with a delta-method interval over n dialogues; needs
 * Σc, Σc², Σr, Σr² and Σcr. Null when nothing is in the denominator.
 */
export function ratioEstimate(s: { n: number; c: number; cc: number; r: number; rr: number; cr: number }, level = 0.95): Estimate | null {
  if (s.n <= 0 || s.r <= 0) return null;
  const ratio = s.c / s.r;
  if (s.n < 2) return { value: ratio, low: null, high: null, n: s.n };
  // Residuals c − R·r have mean 0; their variance gives Var(R) ≈ Var(resid) / (n · mean(r)²).
  const residSq = s.cc - 2 * ratio * s.cr + ratio * ratio * s.rr;
  const variance = Math.max(0, residSq / (s.n - 1)) / (s.n * (s.r / s.n) ** 2);
  const half = studentTQuantile(1 - (1 - level) / 2, s.n - 1) * Math.sqrt(variance);
  return { value: ratio, low: finite(Math.max(0, ratio - half)), high: finite(ratio + half), n: s.n };
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  p: number;
  /** Some expected count is below 5. */
  smallCounts: boolean;
}

/** Pearson chi-square test of independence for groups × {success, failure}; null with fewer than 2 usable groups or no variation. */
export function chiSquareIndependence(groups: readonly { successes: number; n: number }[]): ChiSquareResult | null {
  const used = groups.filter((g) => g.n > 0);
  if (used.length < 2) return null;
  const total = used.reduce((a, g) => a + g.n, 0);
  const successes = used.reduce((a, g) => a + g.successes, 0);
  const p = successes / total;
  if (p === 0 || p === 1) return null;
  let statistic = 0;
  let smallCounts = false;
  for (const g of used) {
    const expS = g.n * p;
    const expF = g.n * (1 - p);
    if (expS < 5 || expF < 5) smallCounts = true;
    statistic += (g.successes - expS) ** 2 / expS + (g.n - g.successes - expF) ** 2 / expF;
  }
  const df = used.length - 1;
  return { statistic, df, p: chiSquareSurvival(statistic, df), smallCounts };
}

/**
 * One-sided pooled two-proportion z-test that the observed share is lower than the baseline's.
 * Returns the p-value (1 when there is nothing to test).
 */
export function proportionDropP(observed: { successes: number; n: number }, baseline: { successes: number; n: number }): number {
  if (observed.n === 0 || baseline.n === 0) return 1;
  const p1 = observed.successes / observed.n;
  const p0 = baseline.successes / baseline.n;
  const pooled = (observed.successes + baseline.successes) / (observed.n + baseline.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / observed.n + 1 / baseline.n));
  if (se === 0) return 1;
  return 1 - normalCdf((p0 - p1) / se);
}

/** One-sided Welch t-test that the observed mean is lower than the baseline's. */
export function meanDropP(observed: Moments, baseline: Moments): number {
  if (observed.n < 2 || baseline.n < 2) return 1;
  const v1 = momentsVariance(observed) / observed.n;
  const v0 = momentsVariance(baseline) / baseline.n;
  const se = Math.sqrt(v1 + v0);
  if (se === 0) return 1;
  const t = (baseline.sum / baseline.n - observed.sum / observed.n) / se;
  const df = (v1 + v0) ** 2 / ((v1 * v1) / (observed.n - 1) + (v0 * v0) / (baseline.n - 1));
  return studentTSurvival(t, df);
}

/** Benjamini–Hochberg adjusted p-values (q-values), in the input's order. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const { p, i } = order[k]!;
    running = Math.min(running, (p * m) / (k + 1));
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}

/** ISO week label of a date (YYYY-MM-DD): `2026-W23`. */
export function isoWeekLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0
  d.setUTCDate(d.getUTCDate() - day + 3); // the week's Thursday decides its year
  const year = d.getUTCFullYear();
  const week = 1 + Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}
