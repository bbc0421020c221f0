// Runs and leaderboard: pick a suite, start a run, rank candidates with 95% intervals, break a run
// down by language and intent, and see which config each channel serves. A newer run with failed
// cases is listed apart, marked incomplete, and offers no promotion. Switches to conversation runs
// (a scenario set: goal success, FCR, pass^k, turns), each linking to its conversations.
import { useState, type ReactNode } from 'react';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { formatNumber, formatPercent } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { Link } from '../../../lib/router.tsx';
import { useLeaderboard } from '../api/get-leaderboard.ts';
import { useConversationSets } from '../api/get-runs.ts';
import { useSuites } from '../api/get-suites.ts';
import type { RunRow } from '../../../lib/contract.ts';
import { SCENARIO_SET_KEY, useRunKind } from '../hooks/use-run-kind.ts';
import { useSelectedSuite } from '../hooks/use-suite.ts';
import { tokenTotal } from '../utils/display.ts';
import { CONVERSATION_CHART_METRICS, formatInterval } from '../utils/metrics.ts';
import { Breakdown } from './breakdown.tsx';
import { ConversationBreakdown } from './conversation-breakdown.tsx';
import { ConversationLeaderboard } from './conversation-leaderboard.tsx';
import { MetricsChart } from './metrics-chart.tsx';
import { RunForm } from './run-form.tsx';
import { RunKindSwitch } from './run-kind-switch.tsx';

const versionOf = (run: RunRow) => `cfg-${run.candidate_hash}`;

export function RunsPage({ rowActions }: { rowActions?: (run: RunRow) => ReactNode }) {
  const { t } = useI18n();
  const [kind, setKind] = useRunKind();
  const suites = useSuites();
  const sets = useConversationSets();
  const suiteNames = (suites.data?.suites ?? []).map((s) => s.name).filter((n, i, all) => all.indexOf(n) === i);
  const setNames = sets.data ?? [];
  const [replySuite, setReplySuite] = useSelectedSuite(suiteNames);
  const [scenarioSet, setScenarioSet] = useSelectedSuite(setNames, SCENARIO_SET_KEY);
  const conversations = kind === 'conversation';
  const names = conversations ? setNames : suiteNames;
  const suite = conversations ? scenarioSet : replySuite;
  const setSuite = conversations ? setScenarioSet : setReplySuite;
  const board = useLeaderboard(suite, kind);
  const [selected, setSelected] = useState<string | null>(null);

  if (suites.isPending) return <Loading label={t('common.loading')} />;
  if (suites.error) return <ErrorNotice error={suites.error} onRetry={() => void suites.refetch()} retryLabel={t('common.retry')} />;

  const entries = board.data?.entries ?? [];
  const incomplete = board.data?.incomplete ?? [];
  const production = board.data?.production ?? {};
  const selectedRun = entries.find((e) => e.id === selected) ?? entries[0];
  const channelsOf = (run: RunRow) => Object.entries(production).filter(([, v]) => v === versionOf(run)).map(([c]) => c);

  return (
    <div className="runs">
      <header className="page-header">
        <h1>{t('runs.title')}</h1>
        <div className="inline-fields">
          <RunKindSwitch kind={kind} onChange={setKind} />
          <label className="field field-inline">
            <span>{conversations ? t('runs.scenarioSet') : t('runs.suite')}</span>
            <select value={suite} onChange={(e) => setSuite(e.target.value)} aria-label={conversations ? t('runs.scenarioSet') : t('runs.suite')}>
              {names.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-small" onClick={() => void (conversations ? sets.refetch() : board.refetch())}>
            {t('common.refresh')}
          </button>
          <Link to={conversations ? '/compare?kind=conversation' : '/compare'} className="btn btn-small">
            {t('nav.compare')}
          </Link>
        </div>
      </header>
      {!conversations && names.length === 0 && <p className="notice">{t('runs.noSuites')}</p>}
      {conversations && sets.data && names.length === 0 && <p className="notice">{t('runs.conv.none')}</p>}

      {conversations ? <p className="muted small">{t('runs.conv.howToRun')}</p> : <RunForm suites={names} suite={suite} />}

      {board.data && (
        <section className="card" data-testid="production">
          <h2>{t('runs.production')}</h2>
          <ul className="production-list">
            {Object.entries(production).map(([channel, version]) => {
              const run = entries.find((e) => versionOf(e) === version);
              return (
                <li key={channel} data-channel={channel}>
                  <strong>{t(`channel.${channel}` as 'channel.web')}</strong>: {version ? (run ? run.candidate_name : version) : t('runs.noProduction')}
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <section className="card">
        <h2>{t('runs.leaderboard')}</h2>
        {board.error && <ErrorNotice error={board.error} onRetry={() => void board.refetch()} retryLabel={t('common.retry')} />}
        {board.isLoading && <Loading label={t('common.loading')} />}
        {board.data && entries.length === 0 && <p className="muted">{t('runs.empty')}</p>}
        {entries.length > 0 && conversations && (
          <>
            <ConversationLeaderboard
              entries={entries}
              selectedId={selectedRun?.id}
              onSelect={setSelected}
              badges={(run) => <LiveBadges run={run} channels={channelsOf(run)} />}
              actions={(run) => (run.incomplete ? <NotPromotable /> : rowActions?.(run))}
            />
            <p className="muted small">{t('runs.conv.intervalHelp')}</p>
            <MetricsChart entries={entries} metrics={CONVERSATION_CHART_METRICS} />
          </>
        )}
        {entries.length > 0 && !conversations && (
          <>
            <div className="table-scroll">
              <table className="table" data-testid="leaderboard">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>{t('runs.candidate')}</th>
                    <th>{t('runs.metric.composite')}</th>
                    <th>{t('runs.metric.fcr')}</th>
                    <th>{t('runs.metric.accuracy')}</th>
                    <th>{t('runs.metric.tone')}</th>
                    <th>{t('runs.escalation')}</th>
                    <th className="num">{t('runs.latency')}</th>
                    <th className="num">{t('runs.tokens')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {entries.map((run, i) => {
                    const m = run.summary?.metrics ?? {};
                    const live = channelsOf(run);
                    return (
                      <tr
                        key={run.id}
                        data-candidate={run.candidate_name}
                        className={selectedRun?.id === run.id ? 'row-selected' : undefined}
                        onClick={() => setSelected(run.id)}
                      >
                        <td>{i + 1}</td>
                        <td>
                          <button type="button" className="link-button" onClick={() => setSelected(run.id)} aria-pressed={selectedRun?.id === run.id}>
                            {run.candidate_name}
                          </button>
                          <div className="muted small">{run.model}</div>
                          <LiveBadges run={run} channels={live} />
                        </td>
                        <td className="num-interval">{formatInterval(m.composite)}</td>
                        <td className="num-interval">{formatInterval(m.fcr)}</td>
                        <td className="num-interval">{formatInterval(m.accuracy)}</td>
                        <td className="num-interval">{formatInterval(m.tone)}</td>
                        <td className="small">
                          {m.escalation ? formatInterval(m.escalation) : ''}
                          <div className="muted">
                            P {formatPercent(run.summary?.escalation.precision)} · R {formatPercent(run.summary?.escalation.recall)}
                          </div>
                        </td>
                        <td className="num">{formatNumber(run.summary?.latency_ms.p50, 0)}</td>
                        <td className="num" data-testid="tokens">
                          <Tokens run={run} />
                        </td>
                        <td onClick={(e) => e.stopPropagation()}>{run.incomplete ? <NotPromotable /> : rowActions?.(run)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <p className="muted small">{t('runs.intervalHelp')}</p>
            <MetricsChart entries={entries} />
          </>
        )}
      </section>
      {incomplete.length > 0 && <IncompleteRuns runs={incomplete} />}
      {selectedRun && (conversations ? <ConversationBreakdown run={selectedRun} /> : <Breakdown run={selectedRun} />)}
    </div>
  );
}

/** Each candidate's newer run that had failed cases: why, and no promotion. */
function IncompleteRuns({ runs }: { runs: readonly RunRow[] }) {
  const { t } = useI18n();
  return (
    <section className="card" data-testid="incomplete-runs">
      <h2>{t('runs.incompleteTitle')}</h2>
      <p className="muted small">{t('runs.incompleteHelp')}</p>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>{t('runs.candidate')}</th>
              <th>{t('runs.startedAt')}</th>
              <th>{t('runs.why')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-candidate={run.candidate_name} data-run={run.id}>
                <td>
                  {run.candidate_name} <span className="badge badge-bad">{t('runs.incompleteBadge')}</span>
                  <div className="muted small">{run.model}</div>
                </td>
                <td className="small">{run.started_at}</td>
                <td className="small">{run.incomplete_reason ?? t('runs.errorsBadge', { n: run.errors })}</td>
                <td>
                  <NotPromotable />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function LiveBadges({ run, channels }: { run: RunRow; channels: readonly string[] }) {
  const { t } = useI18n();
  return (
    <>
      {channels.map((c) => (
        <span key={c} className="badge badge-ok">
          {t('runs.liveOn', { channel: t(`channel.${c}` as 'channel.web') })}
        </span>
      ))}
      {run.source !== 'firstcall' && (
        <span className="badge" data-testid="source-badge" title={t('runs.sourceTitle', { source: run.source })}>
          {t('runs.sourceBadge', { source: run.source })}
        </span>
      )}
      {run.errors > 0 && (
        <span className="badge badge-bad" data-testid="errors-badge" title={run.summary?.first_error ?? undefined}>
          {t('runs.errorsBadge', { n: run.errors })}
        </span>
      )}
    </>
  );
}

/** Input plus output tokens; "n/a" for a candidate without token usage (an offline one), not a misleading 0. */
function Tokens({ run }: { run: RunRow }) {
  const { t } = useI18n();
  if (!run.summary) return <>—</>;
  const total = tokenTotal(run.summary.tokens);
  return total === null ? (
    <span className="muted" title={t('runs.tokensNaHelp')}>
      {t('runs.tokensNa')}
    </span>
  ) : (
    <>{total.toLocaleString()}</>
  );
}

/** Where the promote action would be: disabled, saying why. */
function NotPromotable() {
  const { t } = useI18n();
  return (
    <button type="button" className="btn btn-small" disabled title={t('runs.notPromotable')} aria-label={t('runs.notPromotable')}>
      {t('promotion.promote')}
    </button>
  );
}
