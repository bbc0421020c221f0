// The leaderboard of conversation runs on a scenario set: goal success, FCR, pass^k (with its k),
// turns, handling time and escalation accuracy, each with its 95% interval over scenarios; each
// run links to its conversations.
import type { ReactNode } from 'react';
import type { RunRow } from '../../../lib/contract.ts';
import { formatNumber } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { Link } from '../../../lib/router.tsx';
import { formatConversationInterval } from '../utils/metrics.ts';

export function ConversationLeaderboard({
  entries,
  selectedId,
  onSelect,
  badges,
  actions,
}: {
  entries: readonly RunRow[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  badges: (run: RunRow) => ReactNode;
  actions: (run: RunRow) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="table-scroll">
      <table className="table" data-testid="leaderboard" data-kind="conversation">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('runs.candidate')}</th>
            <th>{t('runs.conv.goalSuccess')}</th>
            <th>{t('runs.metric.fcr')}</th>
            <th>{t('runs.conv.passK', { k: entries[0]?.summary?.conversation?.k ?? 'k' })}</th>
            <th>{t('runs.conv.turns')}</th>
            <th>{t('runs.conv.handlingTime')}</th>
            <th>{t('runs.conv.escalation')}</th>
            <th className="num">{t('runs.conv.conversations')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entries.map((run, i) => {
            const c = run.summary?.conversation;
            return (
              <tr key={run.id} data-candidate={run.candidate_name} data-run={run.id} className={selectedId === run.id ? 'row-selected' : undefined} onClick={() => onSelect(run.id)}>
                <td>{i + 1}</td>
                <td>
                  <button type="button" className="link-button" onClick={() => onSelect(run.id)} aria-pressed={selectedId === run.id}>
                    {run.candidate_name}
                  </button>
                  <div className="muted small">
                    {run.model} · {c?.simulator ?? '—'}
                  </div>
                  {badges(run)}
                </td>
                <td className="num-interval" data-metric="goal_success">
                  {formatConversationInterval(c?.goal_success)}
                </td>
                <td className="num-interval" data-metric="fcr">
                  {formatConversationInterval(c?.fcr)}
                </td>
                <td className="num-interval" data-metric="pass_k">
                  {formatConversationInterval(c?.pass_k)}
                  {c && <div className="muted small">k = {c.k}</div>}
                </td>
                <td className="num-interval" data-metric="turns">
                  {formatConversationInterval(c?.turns, 1)}
                </td>
                <td className="num-interval" data-metric="handling_time_s">
                  {formatConversationInterval(c?.handling_time_s, 0)}
                </td>
                <td className="num-interval" data-metric="escalation_accuracy">
                  {formatConversationInterval(c?.escalation_accuracy)}
                </td>
                <td className="num">
                  {c ? formatNumber(c.conversations, 0) : '—'}
                  <div>
                    <Link to={`/conversations?run=${encodeURIComponent(run.id)}`} className="small" onClick={(e) => e.stopPropagation()}>
                      {t('runs.conv.open')}
                    </Link>
                  </div>
                </td>
                <td onClick={(e) => e.stopPropagation()}>{actions(run)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
