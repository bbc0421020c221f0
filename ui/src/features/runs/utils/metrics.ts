// Pure helpers for showing run summaries: "mean [low, high]", chart rows, comparison filtering.
import type { ConversationInterval, MetricSummary, RunRow } from '../../../lib/contract.ts';

export const CHART_METRICS = ['composite', 'fcr', 'accuracy', 'tone'] as const;
/** A conversation run's per-scenario scores (the summary's metrics; composite = goal_success, fcr, tone). */
export const CONVERSATION_CHART_METRICS = ['goal_success', 'fcr', 'tone', 'escalation'] as const;
export type ChartMetric = (typeof CHART_METRICS)[number] | (typeof CONVERSATION_CHART_METRICS)[number];

export function formatInterval(m: MetricSummary | undefined): string {
  if (!m) return '—';
  return `${m.mean.toFixed(2)} [${m.low.toFixed(2)}, ${m.high.toFixed(2)}]`;
}

/** A conversation interval: `high` is null when unbounded (a count over one scenario). */
export function formatConversationInterval(m: ConversationInterval | null | undefined, digits = 2): string {
  if (!m) return '—';
  return `${m.mean.toFixed(digits)} [${m.low.toFixed(digits)}, ${m.high === null ? '∞' : m.high.toFixed(digits)}]`;
}

export type ChartRow = { candidate: string } & Record<string, number | [number, number] | string>;

/** One row per run: each metric's mean and its error bar as [mean - low, high - mean]. */
export function chartRows(entries: readonly RunRow[], metrics: readonly ChartMetric[] = CHART_METRICS): ChartRow[] {
  return entries.map((run) => {
    const row: ChartRow = { candidate: run.candidate_name };
    for (const name of metrics) {
      const m = run.summary?.metrics[name];
      row[name] = m?.mean ?? 0;
      row[`${name}_err`] = m ? [Math.max(0, m.mean - m.low), Math.max(0, m.high - m.mean)] : [0, 0];
    }
    return row;
  });
}

/** A legend item's place: its metric's position among the bars (unknown ones last). */
export function legendOrder(metrics: readonly ChartMetric[], dataKey: unknown): number {
  const i = metrics.indexOf(dataKey as ChartMetric);
  return i === -1 ? metrics.length : i;
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
