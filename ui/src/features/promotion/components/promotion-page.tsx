// Per channel: the production and staging configs served now, and the history of promotions and
// rollbacks (who, when, from which run, forced reason); admins can roll back.
import { useState } from 'react';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useConfig } from '../api/get-config.ts';
import { useHistory } from '../api/get-history.ts';
import { useRollback } from '../api/rollback.ts';
import { CHANNELS, CONFIG_LABELS, type ConfigLabel } from '../../../lib/contract.ts';

function ConfigCard({ channel, label, admin }: { channel: string; label: ConfigLabel; admin: boolean }) {
  const { t } = useI18n();
  const config = useConfig(channel, label);
  const rollback = useRollback();
  return (
    <div className="config-card" data-testid={`config-${label}`}>
      <h3>{t(`promotion.label.${label}`)}</h3>
      {config.isPending && <Loading label={t('common.loading')} />}
      {config.error && <ErrorNotice error={config.error} />}
      {config.data === null && <p className="muted">{t('promotion.none')}</p>}
      {config.data && (
        <dl className="config-facts">
          <dt>{t('runs.candidate')}</dt>
          <dd data-testid={`current-${label}`}>{config.data.candidate}</dd>
          <dt>{t('promotion.model')}</dt>
          <dd>{config.data.model}</dd>
          <dt>{t('promotion.version')}</dt>
          <dd className="mono">{config.data.version}</dd>
          <dt>{t('promotion.when')}</dt>
          <dd>
            {config.data.promoted_at} · {config.data.promoted_by}
          </dd>
        </dl>
      )}
      {admin && config.data && (
        <button
          type="button"
          className="btn btn-small"
          disabled={rollback.isPending}
          onClick={() => {
            if (window.confirm(t('promotion.confirmRollback', { channel, label: t(`promotion.label.${label}`) }))) rollback.mutate({ channel, label });
          }}
        >
          {t('promotion.rollback')}
        </button>
      )}
      {rollback.error && <ErrorNotice error={rollback.error} />}
      {rollback.data && (
        <p className="notice notice-ok" role="status">
          {t('promotion.rolledBack', { from: rollback.data.from, to: rollback.data.to })}
        </p>
      )}
    </div>
  );
}

export function PromotionPage({ admin }: { admin: boolean }) {
  const { t } = useI18n();
  const [channel, setChannel] = useState<string>('web');
  const history = useHistory(channel);
  return (
    <div className="promotion">
      <header className="page-header">
        <h1>{t('promotion.title')}</h1>
        <label className="field field-inline">
          <span>{t('promotion.channel')}</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value)} aria-label={t('promotion.channel')}>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
      </header>
      <p className="muted">{t('promotion.intro')}</p>
      <section className="card config-grid">
        {CONFIG_LABELS.map((l) => (
          <ConfigCard key={`${channel}-${l}`} channel={channel} label={l} admin={admin} />
        ))}
      </section>
      <section className="card">
        <h2>{t('promotion.history')}</h2>
        {history.isPending && <Loading label={t('common.loading')} />}
        {history.error && <ErrorNotice error={history.error} />}
        {history.data && history.data.history.length === 0 && <p className="muted">{t('promotion.noHistory')}</p>}
        {history.data && history.data.history.length > 0 && (
          <div className="table-scroll">
            <table className="table" data-testid="history">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t('promotion.when')}</th>
                  <th>{t('promotion.who')}</th>
                  <th>{t('promotion.action')}</th>
                  <th>{t('promotion.label')}</th>
                  <th>{t('promotion.fromTo')}</th>
                  <th>{t('promotion.run')}</th>
                  <th>{t('promotion.forcedReason')}</th>
                  <th>{t('promotion.checks')}</th>
                </tr>
              </thead>
              <tbody>
                {history.data.history.map((h) => (
                  <tr key={h.seq} data-action={h.action}>
                    <td>{h.seq}</td>
                    <td>{h.at}</td>
                    <td>{h.by}</td>
                    <td>{t(`promotion.action.${h.action}`)}</td>
                    <td>{t(`promotion.label.${h.label}`)}</td>
                    <td className="mono small">
                      {h.from_version ?? '—'} → {h.to_version}
                    </td>
                    <td className="mono small">{h.run_id ?? '—'}</td>
                    <td>{h.forced_reason ? <span className="badge badge-bad">{h.forced_reason}</span> : '—'}</td>
                    <td className="small">
                      {h.checks ? `${h.checks.filter((c) => c.passed).length}/${h.checks.length} ${t('promotion.pass')}` : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
