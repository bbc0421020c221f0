// Two runs side by side per case with the composite delta (B - A); regressions only; sort by delta.
// Conversation runs too (case = scenario): each row links to the two conversations side by side.
import { useState } from 'react';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { PlainText } from '../../../components/plain-text.tsx';
import { formatNumber } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { Link } from '../../../lib/router.tsx';
import { useCompare } from '../api/get-compare.ts';
import { useLeaderboard } from '../api/get-leaderboard.ts';
import { useConversationSets, useRuns } from '../api/get-runs.ts';
import { useSuites } from '../api/get-suites.ts';
import type { ComparedCase, ResultRow } from '../../../lib/contract.ts';
import { SCENARIO_SET_KEY, useRunKind } from '../hooks/use-run-kind.ts';
import { useSelectedSuite } from '../hooks/use-suite.ts';
import { splitHandoff } from '../../../lib/handoff.ts';
import { scorerName } from '../utils/display.ts';
import { filterAndSort } from '../utils/metrics.ts';
import { CaseDrilldown } from './case-drilldown.tsx';
import { RunKindSwitch } from './run-kind-switch.tsx';
import './runs.css';

function Reply({ result }: { result: ResultRow | null }) {
  const { t } = useI18n();
  if (!result) return <span className="muted">—</span>;
  if (result.error) return <span className="level-low">{result.error}</span>;
  const reply = splitHandoff(result.output ?? '');
  const queue = reply.queue ?? result.handoff_queue;
  return (
    <div>
      <PlainText text={reply.text} className="reply-text" />
      {queue && <span className="badge">{t('compare.handoffTo', { queue })}</span>}
    </div>
  );
}

function ScoreDeltas({ c }: { c: ComparedCase }) {
  const { t } = useI18n();
  const names = [...new Set([...Object.keys(c.a?.scores ?? {}), ...Object.keys(c.b?.scores ?? {})])];
  return (
    <ul className="score-deltas small">
      {names.map((n) => {
        const a = c.a?.scores[n]?.score;
        const b = c.b?.scores[n]?.score;
        const d = a !== undefined && b !== undefined ? b - a : null;
        return (
          <li key={n}>
            {scorerName(t, n)}: {formatNumber(a)} → {formatNumber(b)}{' '}
            {d !== null && d !== 0 && <span className={d < 0 ? 'level-low' : 'level-good'}>({d > 0 ? '+' : ''}{d.toFixed(2)})</span>}
          </li>
        );
      })}
    </ul>
  );
}

export function ComparePage() {
  const { t } = useI18n();
  const [kind, setKind] = useRunKind();
  const conversations = kind === 'conversation';
  const suites = useSuites();
  const sets = useConversationSets();
  const suiteNames = (suites.data?.suites ?? []).map((s) => s.name).filter((n, i, all) => all.indexOf(n) === i);
  const [replySuite, setReplySuite] = useSelectedSuite(suiteNames);
  const [scenarioSet, setScenarioSet] = useSelectedSuite(sets.data ?? [], SCENARIO_SET_KEY);
  const names = conversations ? (sets.data ?? []) : suiteNames;
  const suite = conversations ? scenarioSet : replySuite;
  const setSuite = conversations ? setScenarioSet : setReplySuite;
  const board = useLeaderboard(suite, kind);
  const runs = useRuns(suite);
  const [pick, setPick] = useState<{ a: string; b: string }>(() => {
    const params = new URLSearchParams(window.location.search);
    return { a: params.get('a') ?? '', b: params.get('b') ?? '' };
  });
  const [regressionsOnly, setRegressionsOnly] = useState(false);
  const [order, setOrder] = useState<'none' | 'asc' | 'desc'>('none');
  const [open, setOpen] = useState<string | null>(null);

  // Incomplete runs can be compared too (which cases failed), and say so in their label.
  const finished = (runs.data?.runs ?? []).filter((r) => r.kind === kind && (r.status === 'done' || r.status === 'incomplete'));
  const top = board.data?.entries ?? [];
  const a = pick.a || top[0]?.id || '';
  const b = pick.b || top[1]?.id || '';
  const comparison = useCompare(a, b);

  if (suites.isPending) return <Loading label={t('common.loading')} />;
  if (suites.error) return <ErrorNotice error={suites.error} />;

  // The whole run id: its date part is the same for every run of a day, the end tells them apart.
  const label = (r: (typeof finished)[number]) => `${r.candidate_name} · ${r.started_at} · ${r.id}${r.incomplete ? ` · ${t('runs.incompleteBadge')}` : ''}`;
  const cases = comparison.data ? filterAndSort(comparison.data.cases, regressionsOnly, order) : [];
  const regressions = comparison.data?.cases.filter((c) => c.delta !== null && c.delta < 0).length ?? 0;
  const openCase = comparison.data?.cases.find((c) => c.case_id === open);

  return (
    <div className="compare">
      <header className="page-header">
        <h1>{t('compare.title')}</h1>
      </header>
      <div className="card inline-fields">
        <RunKindSwitch
          kind={kind}
          onChange={(k) => {
            setKind(k);
            setPick({ a: '', b: '' });
          }}
        />
        <label className="field">
          <span>{conversations ? t('runs.scenarioSet') : t('runs.suite')}</span>
          <select value={suite} onChange={(e) => { setSuite(e.target.value); setPick({ a: '', b: '' }); }} aria-label={conversations ? t('runs.scenarioSet') : t('runs.suite')}>
            {names.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('compare.runA')}</span>
          <select value={a} onChange={(e) => setPick({ a: e.target.value, b })} aria-label={t('compare.runA')} title={a || undefined}>
            <option value="">—</option>
            {finished.map((r) => (
              <option key={r.id} value={r.id}>
                {label(r)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('compare.runB')}</span>
          <select value={b} onChange={(e) => setPick({ a, b: e.target.value })} aria-label={t('compare.runB')} title={b || undefined}>
            <option value="">—</option>
            {finished.map((r) => (
              <option key={r.id} value={r.id}>
                {label(r)}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={regressionsOnly} onChange={(e) => setRegressionsOnly(e.target.checked)} />
          {t('compare.regressionsOnly')}
        </label>
        <label className="field">
          <span>{t('compare.sort')}</span>
          <select value={order} onChange={(e) => setOrder(e.target.value as typeof order)} aria-label={t('compare.sort')}>
            <option value="none">{t('compare.sortCase')}</option>
            <option value="asc">{t('compare.sortWorst')}</option>
            <option value="desc">{t('compare.sortBest')}</option>
          </select>
        </label>
      </div>
      {(!a || !b || a === b) && <p className="notice">{t('compare.pickTwo')}</p>}
      {comparison.error && <ErrorNotice error={comparison.error} />}
      {comparison.isLoading && <Loading label={t('common.loading')} />}
      {comparison.data && (
        <section className="card">
          <p data-testid="compare-summary">
            {t('compare.summary', { shown: cases.length, total: comparison.data.cases.length, regressions })}
          </p>
          <div className="table-scroll">
            <table className="table compare-table" data-testid="compare-cases">
              <colgroup>
                <col className="col-case" />
                <col className="col-reply" />
                <col className="col-reply" />
                <col className="col-delta" />
                <col className="col-scores" />
              </colgroup>
              <thead>
                <tr>
                  <th>{t('compare.case')}</th>
                  <th title={comparison.data.a.id}>
                    A: {comparison.data.a.candidate_name} <code className="muted small" data-testid="run-id-a">{comparison.data.a.id}</code>
                  </th>
                  <th title={comparison.data.b.id}>
                    B: {comparison.data.b.candidate_name} <code className="muted small" data-testid="run-id-b">{comparison.data.b.id}</code>
                  </th>
                  <th className="num">{t('compare.delta')}</th>
                  <th>{t('compare.scores')}</th>
                </tr>
              </thead>
              <tbody>
                {cases.map((c) => (
                  <tr key={c.case_id} data-case={c.case_id} className={c.delta !== null && c.delta < 0 ? 'row-regression' : undefined}>
                    <td>
                      <button type="button" className="link-button" onClick={() => setOpen(c.case_id)}>
                        {c.case_id}
                      </button>
                      <PlainText text={c.customer_message} className="small muted" />
                      {conversations && (
                        <Link
                          to={`/conversations?${new URLSearchParams({ run: a, with: b, scenario: c.case_id, trial: String(c.a?.trial ?? c.b?.trial ?? 1) }).toString()}`}
                          className="btn btn-small"
                          data-testid="side-by-side-link"
                        >
                          {t('compare.sideBySide')}
                        </Link>
                      )}
                    </td>
                    <td>
                      <Reply result={c.a} />
                    </td>
                    <td>
                      <Reply result={c.b} />
                    </td>
                    <td className={`num ${c.delta !== null && c.delta < 0 ? 'level-low' : ''}`} data-testid="delta">
                      {c.delta === null ? '—' : `${c.delta > 0 ? '+' : ''}${c.delta.toFixed(2)}`}
                    </td>
                    <td>
                      <ScoreDeltas c={c} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {openCase && comparison.data && (
        <CaseDrilldown caseId={openCase.case_id} a={comparison.data.a} b={comparison.data.b} resultA={openCase.a} resultB={openCase.b} onClose={() => setOpen(null)} />
      )}
    </div>
  );
}
