// Production view: the config each channel serves (version, candidate, model, when) and the
// channel's traffic over the weeks (volume, hand-off, FCR, CSAT with 95% bands), promotions marked.
// The traffic is every dialogue of the channel unless a source is chosen (the production bot's own
// traffic: source "production"); the page says which.
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { CHANNELS, type Source, type TrendPoint } from '../../../lib/contract.ts';
import { localDateTime } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useProductionConfigs } from '../api/get-production-configs.ts';
import { useTrends } from '../api/get-trends.ts';
import { useGroupLabel } from '../hooks/use-group-label.ts';
import { addDays, CHART_SCALE, chartRows, groupSeries, type TrendChart as TrendChartName } from '../utils/trend-series.ts';
import { SERIES_COLORS, TrendChart, type ChartMarker } from './trend-chart.tsx';

const PRODUCTION_CHARTS = ['volume', 'handoff_rate', 'fcr', 'csat'] as const satisfies readonly TrendChartName[];

/** The ISO week label (`2026-W23`) of the week holding a timestamp's calendar date; null when the charts do not show that week. */
function weekLabelOf(points: readonly TrendPoint[], iso: string): string | null {
  const day = iso.slice(0, 10);
  return points.find((p) => p.period <= day && day <= addDays(p.period, 6))?.label ?? null;
}

export function ProductionPanel({ from, to, source }: { from?: string; to?: string; source?: Source }) {
  const { t } = useI18n();
  const groupLabel = useGroupLabel();
  const configs = useProductionConfigs();
  const trends = useTrends({ by: 'week', group: 'channel', from, to, source });
  const points = trends.data?.points ?? [];
  const series = groupSeries(points).filter((s) => s.group !== null);
  // The same colour for a channel on every chart: its place in CHANNELS, other channels after them.
  const colorOf = (channel: string, i: number) => {
    const known = (CHANNELS as readonly string[]).indexOf(channel);
    return SERIES_COLORS[(known >= 0 ? known + 1 : CHANNELS.length + 1 + i) % SERIES_COLORS.length]!;
  };
  const chartSeries = series.map((s, i) => ({ key: s.key, name: groupLabel('channel', s.group), color: colorOf(s.group!, i) }));
  const markers: ChartMarker[] = (configs.data ?? []).flatMap(({ channel, config }) => {
    const x = config ? weekLabelOf(points, config.promoted_at) : null;
    return x && config ? [{ x, label: `${groupLabel('channel', channel)} ${config.version}` }] : [];
  });
  return (
    <section className="insights-production" data-testid="production">
      <section className="card">
        <h2>{t('insights.production.configs')}</h2>
        {configs.isPending && <Loading label={t('common.loading')} />}
        {configs.error && <ErrorNotice error={configs.error} onRetry={() => void configs.refetch()} retryLabel={t('common.retry')} />}
        {configs.data && (
          <table className="table table-compact" data-testid="production-configs">
            <thead>
              <tr>
                <th>{t('insights.group.channel')}</th>
                <th>{t('insights.production.version')}</th>
                <th>{t('insights.production.candidate')}</th>
                <th>{t('insights.production.model')}</th>
                <th>{t('insights.production.promoted')}</th>
              </tr>
            </thead>
            <tbody>
              {configs.data.map(({ channel, config }) => (
                <tr key={channel} data-channel={channel}>
                  <td>{groupLabel('channel', channel)}</td>
                  {config ? (
                    <>
                      <td className="mono">{config.version}</td>
                      <td>{config.candidate}</td>
                      <td className="mono">{config.model}</td>
                      <td>
                        {localDateTime(config.promoted_at)} · {config.promoted_by}
                      </td>
                    </>
                  ) : (
                    <td colSpan={4} className="muted">
                      {t('insights.production.none')}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <p className={source ? 'notice' : 'notice notice-warn'} data-testid="traffic-source">
        {source ? t('insights.production.sourceOnly', { source: t(`source.${source}`) }) : t('insights.production.allSources')}
      </p>
      {trends.isPending && <Loading label={t('common.loading')} />}
      {trends.error && <ErrorNotice error={trends.error} onRetry={() => void trends.refetch()} retryLabel={t('common.retry')} />}
      {trends.data && points.length === 0 && (
        <p className="notice" data-testid="production-empty">
          {from || to || source ? t('insights.empty.range') : t('insights.empty.store')}
        </p>
      )}
      {points.length > 0 && (
        <div className="insights-grid">
          {PRODUCTION_CHARTS.map((c) => (
            <TrendChart key={c} testId={`production-chart-${c}`} title={t(`insights.metric.${c}`)} rows={chartRows(points, c, series)} series={chartSeries} scale={CHART_SCALE[c]} markers={markers} />
          ))}
        </div>
      )}
    </section>
  );
}
