// Turns the trends API's points (one per period and group) into chart rows: one column per group
// for the mean and one `[low, high]` column for its 95% band; and the daily series of one intent.
import type { Estimate, TrendMetric, TrendPoint } from '../../../lib/contract.ts';

/** The charts of the trends page, in order; `volume` is the count of dialogues (no interval). */
export const TREND_CHARTS = [
  'volume',
  'fcr',
  'csat',
  'handoff_rate',
  'automation_rate',
  'repeat_contact_rate',
  'turns_to_resolution',
  'seconds_to_resolution',
  'cost_per_contact',
] as const satisfies readonly ('volume' | TrendMetric)[];
export type TrendChart = (typeof TREND_CHARTS)[number];

export type ChartScale = 'count' | 'share' | 'number' | 'minutes' | 'usd';

export const CHART_SCALE: Record<TrendChart, ChartScale> = {
  volume: 'count',
  fcr: 'share',
  csat: 'share',
  handoff_rate: 'share',
  automation_rate: 'share',
  repeat_contact_rate: 'share',
  turns_to_resolution: 'number',
  seconds_to_resolution: 'minutes',
  cost_per_contact: 'usd',
};

/** Charts shown only when some point has a value (cost needs logged token usage and a known price). */
export const OPTIONAL_CHARTS: readonly TrendChart[] = ['cost_per_contact'];

export interface GroupSeries {
  /** The column of the chart row (`s0`, `s1`, …): group values may hold any character. */
  key: string;
  /** Null: every dialogue together. */
  group: string | null;
  volume: number;
}

export type ChartRow = { period: string; label: string } & Record<string, number | [number, number] | null | string>;

/** Every group in the points, the all-dialogues series first, then by volume (largest first). */
export function groupSeries(points: readonly TrendPoint[]): GroupSeries[] {
  const volume = new Map<string | null, number>();
  for (const p of points) volume.set(p.group, (volume.get(p.group) ?? 0) + p.volume);
  return [...volume.entries()]
    .sort(([a, va], [b, vb]) => (a === null ? -1 : b === null ? 1 : vb - va || a.localeCompare(b)))
    .map(([group, v], i) => ({ key: `s${i}`, group, volume: v }));
}

const scaled = (value: number, scale: ChartScale) => (scale === 'minutes' ? value / 60 : value);

/** The value to plot and its band for one point of one chart (null: nothing measured). */
export function pointValue(point: TrendPoint, chart: TrendChart): { value: number; band: [number, number] | null } | null {
  if (chart === 'volume') return { value: point.volume, band: null };
  const e: Estimate | null = point.metrics[chart];
  if (!e) return null;
  const scale = CHART_SCALE[chart];
  const band: [number, number] | null = e.low !== null && e.high !== null ? [scaled(e.low, scale), scaled(e.high, scale)] : null;
  return { value: scaled(e.value, scale), band };
}

/** One row per period (oldest first) with `sN` (mean) and `sN_band` ([low, high]) per series. */
export function chartRows(points: readonly TrendPoint[], chart: TrendChart, series: readonly GroupSeries[]): ChartRow[] {
  const keyOf = new Map(series.map((s) => [s.group, s.key]));
  const rows = new Map<string, ChartRow>();
  for (const p of [...points].sort((a, b) => a.period.localeCompare(b.period))) {
    let row = rows.get(p.period);
    if (!row) {
      row = { period: p.period, label: p.label };
      // A period without a group's dialogues: no volume (0), nothing measured (gap).
      for (const s of series) {
        row[s.key] = chart === 'volume' ? 0 : null;
        row[`${s.key}_band`] = null;
      }
      rows.set(p.period, row);
    }
    const key = keyOf.get(p.group);
    if (key === undefined) continue;
    const v = pointValue(p, chart);
    row[key] = v?.value ?? null;
    row[`${key}_band`] = v?.band ?? null;
  }
  return [...rows.values()];
}

/** Whether any point has a value for the chart. */
export function hasValues(points: readonly TrendPoint[], chart: TrendChart): boolean {
  return points.some((p) => pointValue(p, chart) !== null);
}

/** `2026-06-20` plus `days` (UTC calendar arithmetic on plain dates). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Daily dialogue counts of one intent from `from` to `to`, days without any of its dialogues as 0;
 * ends at the newest day the store has (no made-up zeros after the data stops).
 */
export function dailySeries(points: readonly TrendPoint[], intent: string, from: string, to: string): { day: string; count: number }[] {
  const counts = new Map<string, number>();
  let newest: string | null = null;
  for (const p of points) {
    if (p.group === intent) counts.set(p.period, p.volume);
    if (p.group === null && (newest === null || p.period > newest)) newest = p.period;
  }
  if (newest === null) return [];
  const end = newest < to ? newest : to;
  const out: { day: string; count: number }[] = [];
  for (let day = from; day <= end; day = addDays(day, 1)) out.push({ day, count: counts.get(day) ?? 0 });
  return out;
}
