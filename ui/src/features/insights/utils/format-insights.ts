// How the insights pages write p-values, intervals and an alert's observed and expected values.
import type { Alert, Estimate } from '../../../lib/contract.ts';
import { formatPercent } from '../../../lib/format.ts';
import type { ChartScale } from './trend-series.ts';

export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return '—';
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

export function formatScaled(value: number | null | undefined, scale: ChartScale): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (scale) {
    case 'count':
      return String(Math.round(value));
    case 'share':
      return formatPercent(value);
    case 'usd':
      return `$${value.toFixed(value < 1 ? 4 : 2)}`;
    default:
      return value.toFixed(1);
  }
}

/** `72% [65%, 78%]`; a single value when there is no spread; `—` when nothing was measured. */
export function formatEstimate(e: Estimate | null | undefined, scale: ChartScale): string {
  if (!e) return '—';
  const factor = scale === 'minutes' ? 1 / 60 : 1;
  const value = formatScaled(e.value * factor, scale);
  if (e.low === null || e.high === null) return value;
  return `${value} [${formatScaled(e.low * factor, scale)}, ${formatScaled(e.high * factor, scale)}]`;
}

/** Spikes and new topics count dialogues; drops compare a week's FCR or mean CSAT (0-1) with the baseline. */
export function alertValue(alert: Pick<Alert, 'kind'>, value: number): string {
  if (alert.kind === 'fcr_drop' || alert.kind === 'csat_drop') return formatPercent(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** The adjusted p-value (Benjamini–Hochberg) the detector stores in the details, if any. */
export function alertQValue(alert: Pick<Alert, 'details'>): number | null {
  const q = alert.details.q_value;
  return typeof q === 'number' ? q : null;
}
