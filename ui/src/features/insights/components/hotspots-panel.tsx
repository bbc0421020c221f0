// Hotspots: the early-warning alerts (kind, what, when, observed against expected, p-value), each
// with the intent's daily count over the weeks before it and example dialogues that open in the
// labeling view; admins acknowledge, engineers and admins run detection now.
import { useState } from 'react';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import type { Alert, TrendsResponse } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { Link } from '../../../lib/router.tsx';
import { useAcknowledgeAlert } from '../api/acknowledge-alert.ts';
import { useAlertSettings } from '../api/get-alert-settings.ts';
import { useAlerts } from '../api/get-alerts.ts';
import { useTrends } from '../api/get-trends.ts';
import { useRunDetection } from '../api/run-detection.ts';
import { useIntentLabel } from '../hooks/use-group-label.ts';
import { ALERT_FILTERS, type AlertFilter } from '../hooks/use-insights-params.ts';
import { alertQValue, alertValue, formatP } from '../utils/format-insights.ts';
import { addDays, dailySeries } from '../utils/trend-series.ts';
import { Sparkline } from './sparkline.tsx';

/** Weeks of daily counts before an alert's day in its sparkline, and days after it. */
const SPARK_WEEKS = 8;
const SPARK_AFTER = 7;

/** The one range of daily trends every intent alert's sparkline is cut from. */
function sparkRange(alerts: readonly Alert[]): { from: string; to: string } | null {
  const dates = alerts.filter((a) => a.intent !== null).map((a) => a.date).sort();
  if (dates.length === 0) return null;
  return { from: addDays(dates[0]!, -SPARK_WEEKS * 7), to: addDays(dates.at(-1)!, SPARK_AFTER) };
}

export function HotspotsPanel({ status, onStatus, admin, dialogueHref }: { status: AlertFilter; onStatus: (status: AlertFilter) => void; admin: boolean; dialogueHref: (id: string) => string }) {
  const { t } = useI18n();
  const alerts = useAlerts(status);
  const settings = useAlertSettings();
  const detect = useRunDetection();
  const acknowledge = useAcknowledgeAlert();
  const [acknowledged, setAcknowledged] = useState<string | null>(null);
  const range = sparkRange(alerts.data?.alerts ?? []);
  const daily = useTrends({ by: 'day', group: 'intent', from: range?.from, to: range?.to }, { enabled: range !== null });
  const q = settings.data?.alert_q;

  return (
    <section className="insights-hotspots" data-testid="hotspots">
      <div className="inline-fields insights-controls">
        <div className="segmented" role="group" aria-label={t('insights.hotspots.status')}>
          {ALERT_FILTERS.map((s) => (
            <button key={s} type="button" className="seg" aria-pressed={status === s} onClick={() => onStatus(s)}>
              {t(`insights.hotspots.status.${s}`)}
            </button>
          ))}
        </div>
        <button type="button" className="btn btn-primary btn-small" disabled={detect.isPending} onClick={() => detect.mutate({})}>
          {detect.isPending ? t('insights.hotspots.detecting') : t('insights.hotspots.detect')}
        </button>
      </div>
      {q !== undefined && <p className="muted small">{t('insights.hotspots.control', { q, weeks: settings.data?.alert_baseline_weeks ?? SPARK_WEEKS })}</p>}
      {detect.error && <ErrorNotice error={detect.error} />}
      {detect.data && (
        <p className="notice notice-ok" role="status" data-testid="detection-result">
          {detect.data.from === null
            ? t('insights.hotspots.detectedNothing')
            : t('insights.hotspots.detected', {
                from: detect.data.from,
                to: detect.data.to ?? detect.data.from,
                tests: detect.data.tests.spike + detect.data.tests.fcr_drop + detect.data.tests.csat_drop,
                found: detect.data.found.length,
                open: detect.data.open.length,
              })}
        </p>
      )}
      {acknowledge.error && <ErrorNotice error={acknowledge.error} />}
      {acknowledged && (
        <p className="notice notice-ok" role="status">
          {t('insights.hotspots.acknowledgedNotice', { id: acknowledged })}
        </p>
      )}
      {alerts.isPending && <Loading label={t('common.loading')} />}
      {alerts.error && <ErrorNotice error={alerts.error} onRetry={() => void alerts.refetch()} retryLabel={t('common.retry')} />}
      {alerts.data && alerts.data.alerts.length === 0 && (
        <p className="notice" data-testid="alerts-empty">
          {status === 'open' ? t('insights.hotspots.noneOpen') : t('insights.hotspots.none')}
        </p>
      )}
      {alerts.data && alerts.data.alerts.length > 0 && (
        <div className="table-scroll">
          <table className="table insights-alerts" data-testid="alerts">
            <thead>
              <tr>
                <th>{t('insights.hotspots.kind')}</th>
                <th>{t('insights.hotspots.subject')}</th>
                <th>{t('insights.hotspots.date')}</th>
                <th className="num">{t('insights.hotspots.observedExpected')}</th>
                <th className="num">{t('insights.hotspots.pValue')}</th>
                <th>{t('insights.hotspots.trailing', { weeks: SPARK_WEEKS })}</th>
                <th>{t('insights.hotspots.examples')}</th>
                <th>{t('insights.hotspots.state')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.alerts.map((alert) => (
                <AlertRow
                  key={alert.id}
                  alert={alert}
                  daily={daily.data}
                  admin={admin}
                  busy={acknowledge.isPending && acknowledge.variables === alert.id}
                  onAcknowledge={() => acknowledge.mutate(alert.id, { onSuccess: () => setAcknowledged(alert.id) })}
                  dialogueHref={dialogueHref}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AlertRow({
  alert,
  daily,
  admin,
  busy,
  onAcknowledge,
  dialogueHref,
}: {
  alert: Alert;
  daily: TrendsResponse | undefined;
  admin: boolean;
  busy: boolean;
  onAcknowledge: () => void;
  dialogueHref: (id: string) => string;
}) {
  const { t } = useI18n();
  const intentLabel = useIntentLabel();
  const subject = alert.intent !== null ? intentLabel(alert.intent) : (alert.topic ?? alert.product ?? '—');
  const subjectKind = alert.intent !== null ? 'intent' : alert.topic !== null ? 'topic' : 'product';
  const qValue = alertQValue(alert);
  const series = alert.intent !== null && daily ? dailySeries(daily.points, alert.intent, addDays(alert.date, -SPARK_WEEKS * 7), addDays(alert.date, SPARK_AFTER)) : null;
  return (
    <tr data-alert-id={alert.id} data-kind={alert.kind} data-date={alert.date} data-intent={alert.intent ?? ''} data-product={alert.product ?? ''} data-status={alert.status}>
      <td>
        <span className={`badge ${alert.kind === 'spike' || alert.kind === 'new_topic' ? 'badge-bad' : 'badge-warn'}`}>{t(`insights.alertKind.${alert.kind}`)}</span>
      </td>
      <td>
        <span className="muted small">{t(`insights.subject.${subjectKind}`)}</span> <strong>{subject}</strong>
        {alert.intent !== null && subject !== alert.intent && <span className="mono small muted"> {alert.intent}</span>}
      </td>
      <td className="mono">{alert.date}</td>
      <td className="num" data-testid="observed-expected">
        {t('insights.hotspots.observedVsExpected', { observed: alertValue(alert, alert.observed), expected: alertValue(alert, alert.expected) })}
      </td>
      <td className="num">
        {formatP(alert.p_value)}
        {qValue !== null && <div className="muted small">q {formatP(qValue)}</div>}
      </td>
      <td>
        {series && series.length > 0 ? (
          <Sparkline data={series} mark={alert.date} label={t('insights.hotspots.sparkLabel', { subject, weeks: SPARK_WEEKS, date: alert.date })} />
        ) : alert.intent === null ? (
          <span className="muted small">{t('insights.hotspots.noSeries')}</span>
        ) : (
          <span className="muted small">…</span>
        )}
      </td>
      <td>
        {alert.example_ids.length === 0 ? (
          <span className="muted small">—</span>
        ) : (
          <ul className="insights-examples" aria-label={t('insights.hotspots.examples')}>
            {alert.example_ids.map((id) => (
              <li key={id}>
                <Link to={dialogueHref(id)} className="mono small" title={t('insights.openInLabeling')} data-dialogue-id={id}>
                  {id}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {alert.status === 'acknowledged' ? (
          <span className="small">{t('insights.hotspots.acknowledgedBy', { who: alert.acknowledged_by ?? '—', when: alert.acknowledged_at?.slice(0, 16).replace('T', ' ') ?? '' })}</span>
        ) : admin ? (
          <button type="button" className="btn btn-small" disabled={busy} onClick={onAcknowledge}>
            {t('insights.hotspots.acknowledge')}
          </button>
        ) : (
          <span className="badge badge-bad">{t('insights.hotspots.status.open')}</span>
        )}
      </td>
    </tr>
  );
}
