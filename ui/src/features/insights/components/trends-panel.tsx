// Trends: volume, FCR, CSAT, hand-off, automation, repeat contacts, turns and handling time (cost
// when logged) per day or ISO week, grouped by channel, language or intent, each with its 95% band;
// and the all-dialogues numbers as a table. An empty range says so (no dialogues), nothing else.
import { useState } from 'react';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { TREND_GROUPS, TREND_PERIODS, type Source, type TrendGroup, type TrendPeriod, type TrendPoint } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useTrends } from '../api/get-trends.ts';
import { useGroupLabel } from '../hooks/use-group-label.ts';
import { formatEstimate } from '../utils/format-insights.ts';
import { CHART_SCALE, OPTIONAL_CHARTS, TREND_CHARTS, chartRows, groupSeries, hasValues, type GroupSeries } from '../utils/trend-series.ts';
import { SERIES_COLORS, TrendChart } from './trend-chart.tsx';

/** Groups drawn at first besides all dialogues together: more lines than this are unreadable. */
const FIRST_SHOWN = 4;
const TABLE_METRICS = ['fcr', 'csat', 'handoff_rate', 'automation_rate', 'repeat_contact_rate', 'turns_to_resolution', 'seconds_to_resolution'] as const;

export function TrendsPanel({
  by,
  group,
  from,
  to,
  source,
  onChange,
}: {
  by: TrendPeriod;
  group: TrendGroup;
  from?: string;
  to?: string;
  source?: Source;
  onChange: (changes: { by?: TrendPeriod; group?: TrendGroup }) => void;
}) {
  const { t } = useI18n();
  const trends = useTrends({ by, group, from, to, source });
  return (
    <section className="insights-trends" data-testid="trends">
      <div className="inline-fields insights-controls">
        <div className="segmented" role="group" aria-label={t('insights.period')}>
          {TREND_PERIODS.map((p) => (
            <button key={p} type="button" className="seg" aria-pressed={by === p} onClick={() => onChange({ by: p })}>
              {t(`insights.period.${p}`)}
            </button>
          ))}
        </div>
        <label className="field field-inline">
          <span>{t('insights.groupBy')}</span>
          <select value={group} aria-label={t('insights.groupBy')} onChange={(e) => onChange({ group: e.target.value as TrendGroup })}>
            {TREND_GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`insights.group.${g}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {trends.isPending && <Loading label={t('common.loading')} />}
      {trends.error && <ErrorNotice error={trends.error} onRetry={() => void trends.refetch()} retryLabel={t('common.retry')} />}
      {trends.data && trends.data.points.length === 0 && (
        <p className="notice" data-testid="trends-empty">
          {from || to || source ? t('insights.empty.range') : t('insights.empty.store')}
          {trends.data.undated > 0 && ` ${t('insights.empty.undated', { n: trends.data.undated })}`}
        </p>
      )}
      {trends.data && trends.data.points.length > 0 && (
        // A new grouping starts with its own default selection of groups.
        <TrendCharts key={`${trends.data.group}`} points={trends.data.points} group={trends.data.group} by={trends.data.by} windowDays={trends.data.window_days} undated={trends.data.undated} />
      )}
    </section>
  );
}

function TrendCharts({ points, group, by, windowDays, undated }: { points: readonly TrendPoint[]; group: TrendGroup; by: TrendPeriod; windowDays: number; undated: number }) {
  const { t } = useI18n();
  const groupLabel = useGroupLabel();
  const all = groupSeries(points);
  const [shown, setShown] = useState<ReadonlySet<string | null>>(() => new Set(all.slice(0, FIRST_SHOWN + 1).map((s) => s.group)));
  const visible = all.filter((s) => shown.has(s.group));
  const colorOf = (s: GroupSeries) => SERIES_COLORS[all.indexOf(s) % SERIES_COLORS.length]!;
  const chartSeries = visible.map((s) => ({ key: s.key, name: groupLabel(group, s.group), color: colorOf(s), bold: s.group === null }));
  const toggle = (g: string | null) => {
    const next = new Set(shown);
    if (next.has(g)) next.delete(g);
    else next.add(g);
    setShown(next);
  };
  const charts = TREND_CHARTS.filter((c) => !OPTIONAL_CHARTS.includes(c) || hasValues(points, c));
  const overall = points.filter((p) => p.group === null).sort((a, b) => a.period.localeCompare(b.period));
  return (
    <>
      <div className="chips insights-legend" role="group" aria-label={t('insights.groups')} data-testid="trend-groups">
        {all.map((s) => (
          <button key={s.key} type="button" className="chip" aria-pressed={shown.has(s.group)} onClick={() => toggle(s.group)} data-group={s.group ?? ''}>
            <span className="insights-swatch" style={{ background: colorOf(s) }} /> {groupLabel(group, s.group)} <span className="muted small">{s.volume}</span>
          </button>
        ))}
      </div>
      <p className="muted small">{t('insights.trends.note', { days: windowDays })}</p>
      {!charts.includes('cost_per_contact') && <p className="muted small">{t('insights.trends.noCost')}</p>}
      <div className="insights-grid">
        {charts.map((c) => (
          <TrendChart key={c} testId={`trend-chart-${c}`} title={t(`insights.metric.${c}`)} rows={chartRows(points, c, visible)} series={chartSeries} scale={CHART_SCALE[c]} />
        ))}
      </div>
      <section className="card">
        <h2>{t('insights.trends.tableTitle', { period: t(`insights.period.${by}`) })}</h2>
        <div className="table-scroll">
          <table className="table table-compact" data-testid="trend-table">
            <thead>
              <tr>
                <th>{t(`insights.period.${by}`)}</th>
                <th className="num">{t('insights.metric.volume')}</th>
                {TABLE_METRICS.map((m) => (
                  <th key={m} className="num">
                    {t(`insights.metric.${m}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {overall.map((p) => (
                <tr key={p.period} data-period={p.period} data-label={p.label}>
                  <td className="mono">{p.label}</td>
                  <td className="num" data-metric="volume">
                    {p.volume}
                  </td>
                  {TABLE_METRICS.map((m) => (
                    <td key={m} className="num" data-metric={m}>
                      {formatEstimate(p.metrics[m], CHART_SCALE[m])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {undated > 0 && <p className="muted small">{t('insights.empty.undated', { n: undated })}</p>}
      </section>
    </>
  );
}
