// Per-language and per-intent numbers for one run.
import { formatPercent } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import type { MetricSummary, RunRow } from '../../../lib/contract.ts';
import { formatInterval } from '../utils/metrics.ts';

const COLUMNS = ['composite', 'fcr', 'accuracy', 'tone'] as const;

function GroupTable({ title, groups, testId }: { title: string; groups: Record<string, Record<string, MetricSummary>>; testId: string }) {
  const { t } = useI18n();
  return (
    <div>
      <h3>{title}</h3>
      <table className="table table-compact" data-testid={testId}>
        <thead>
          <tr>
            <th>{t('runs.group')}</th>
            <th className="num">n</th>
            {COLUMNS.map((c) => (
              <th key={c} className="num">
                {t(`runs.metric.${c}`)}
              </th>
            ))}
            <th className="num">{t('runs.passRate')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(groups).map(([name, metrics]) => (
            <tr key={name}>
              <td>{name}</td>
              <td className="num">{metrics.composite?.n ?? metrics.fcr?.n ?? '—'}</td>
              {COLUMNS.map((c) => (
                <td key={c} className="num">
                  {formatInterval(metrics[c])}
                </td>
              ))}
              <td className="num">{formatPercent(metrics.composite?.pass_rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Breakdown({ run }: { run: RunRow }) {
  const { t } = useI18n();
  if (!run.summary) return null;
  return (
    <section className="card" data-testid="breakdown">
      <h2>{t('runs.breakdownFor', { candidate: run.candidate_name })}</h2>
      <div className="breakdown-grid">
        <GroupTable title={t('runs.byLanguage')} groups={run.summary.by_language} testId="by-language" />
        <GroupTable title={t('runs.byIntent')} groups={run.summary.by_intent} testId="by-intent" />
      </div>
    </section>
  );
}
