// The conversation viewer: pick a conversation run, filter its conversations, open one (transcript,
// tool calls, customer events, end state against the expectation, judgement), and put it side by
// side with another candidate's conversation on the same scenario and trial. Everything the view
// shows is in the URL: ?run=&scenario=&trial=&with=&failed=1&lang=.
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import type { RunRow } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useConversationRuns } from '../api/get-conversation-runs.ts';
import { useConversations } from '../api/get-conversations.ts';
import { useSearchParams } from '../../../lib/use-search-params.ts';
import { ConversationList } from './conversation-list.tsx';
import { ConversationView } from './conversation-view.tsx';
import './conversations.css';

export function ConversationsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const runs = useConversationRuns();
  const all = runs.data ?? [];
  const runId = params.get('run') || all[0]?.id || '';
  const list = useConversations(runId);
  const run = list.data?.run ?? all.find((r) => r.id === runId);
  const scenarioId = params.get('scenario') ?? '';
  const trial = Number(params.get('trial') ?? '1') || 1;
  const withId = params.get('with') ?? '';
  const filters = { failedOnly: params.get('failed') === '1', language: params.get('lang') ?? '' };
  // Runs on the same version of the same scenario set: their conversations line up scenario by scenario.
  const peers = all.filter((r) => run && r.id !== run.id && r.suite_name === run.suite_name && r.suite_version === run.suite_version);
  const other = all.find((r) => r.id === withId);
  const runLabel = (r: RunRow) => `${r.candidate_name} · ${r.suite_name} v${r.suite_version} · ${r.started_at}${r.incomplete ? ` · ${t('runs.incompleteBadge')}` : ''}`;

  if (runs.isPending) return <Loading label={t('common.loading')} />;
  if (runs.error) return <ErrorNotice error={runs.error} onRetry={() => void runs.refetch()} retryLabel={t('common.retry')} />;

  return (
    <div className="conversations">
      <header className="page-header">
        <h1>{t('conv.title')}</h1>
        <div className="inline-fields">
          <label className="field field-inline">
            <span>{t('conv.run')}</span>
            <select value={runId} onChange={(e) => setParams({ run: e.target.value, scenario: null, trial: null, with: null })} aria-label={t('conv.run')}>
              {runId !== '' && !all.some((r) => r.id === runId) && <option value={runId}>{runId}</option>}
              {all.map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      {all.length === 0 && <p className="notice">{t('conv.noRuns')}</p>}
      {list.error && <ErrorNotice error={list.error} onRetry={() => void list.refetch()} retryLabel={t('common.retry')} />}
      {list.isLoading && <Loading label={t('common.loading')} />}
      {list.data && list.data.run.kind !== 'conversation' && <p className="notice">{t('conv.notConversationRun')}</p>}
      {list.data && (
        <ConversationList
          rows={list.data.conversations}
          filters={filters}
          onFilters={(next) => setParams({ failed: next.failedOnly ? '1' : null, lang: next.language })}
          selected={scenarioId ? { scenarioId, trial } : null}
          onOpen={(row) => setParams({ scenario: row.scenario_id, trial: String(row.trial) })}
        />
      )}
      {scenarioId !== '' && run && (
        <section className="card conv-detail">
          <div className="inline-fields conv-compare-bar">
            <label className="field field-inline">
              <span>{t('conv.compareWith')}</span>
              <select value={other ? other.id : ''} onChange={(e) => setParams({ with: e.target.value })} aria-label={t('conv.compareWith')}>
                <option value="">—</option>
                {peers.map((r) => (
                  <option key={r.id} value={r.id}>
                    {runLabel(r)}
                  </option>
                ))}
              </select>
            </label>
            {other && (
              <>
                <button type="button" className="btn btn-small" onClick={() => setParams({ run: other.id, with: run.id })}>
                  {t('conv.swap')}
                </button>
                <button type="button" className="btn btn-small" onClick={() => setParams({ with: null })}>
                  {t('conv.closeSideBySide')}
                </button>
              </>
            )}
            {peers.length === 0 && <span className="muted small">{t('conv.noPeers')}</span>}
          </div>
          {other ? (
            <div className="conv-side-by-side" data-testid="side-by-side">
              <ConversationView run={run} scenarioId={scenarioId} trial={trial} />
              <ConversationView run={other} scenarioId={scenarioId} trial={trial} />
            </div>
          ) : (
            <ConversationView run={run} scenarioId={scenarioId} trial={trial} />
          )}
        </section>
      )}
    </div>
  );
}
