// Pure helpers for showing run summaries: "mean [low, high]", chart rows, comparison filtering.
import type { MetricSummary, RunRow } from '../../../lib/contract.ts';

export const CHART_METRICS = ['composite', 'fcr', 'accuracy', 'tone'] as const;

export function formatInterval(m: MetricSummary | undefined): string {
  if (!m) return '—';
  return `${m.mean.toFixed(2)} [${m.low.toFixed(2)}, ${m.high.toFixed(2)}]`;
}

export type ChartRow = { candidate: string } & Record<string, number | [number, number] | string>;

/** One row per run: each metric's mean and its error bar as [mean - low, high - mean]. */
export function chartRows(entries: readonly RunRow[]): ChartRow[] {
  return entries.map((run) => {
    const row: ChartRow = { candidate: run.candidate_name };
    for (const name of CHART_METRICS) {
      const m = run.summary?.metrics[name];
      row[name] = m?.mean ?? 0;
      row[`${name}_err`] = m ? [Math.max(0, m.mean - m.low), Math.max(0, m.high - m.mean)] : [0, 0];
    }
    return row;
  });
}

export interface DeltaCase {
  delta: number | null;
}

/** Regressions only (delta < 0) if asked; sorted by delta (unknown deltas last). */
export function filterAndSort<T extends DeltaCase>(cases: readonly T[], regressionsOnly: boolean, order: 'asc' | 'desc' | 'none'): T[] {
  const kept = regressionsOnly ? cases.filter((c) => c.delta !== null && c.delta < 0) : [...cases];
  if (order === 'none') return kept;
  const sign = order === 'asc' ? 1 : -1;
  return kept.sort((x, y) => {
    if (x.delta === null) return y.delta === null ? 0 : 1;
    if (y.delta === null) return -1;
    return sign * (x.delta - y.delta);
  });
}
