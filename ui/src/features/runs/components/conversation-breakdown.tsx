// A conversation run's numbers by language and by intent: goal success, FCR, pass^k, turns.
import type { ConversationMetricsSummary, RunRow } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { formatConversationInterval } from '../utils/metrics.ts';

const ENDS = ['goal_met', 'gave_up', 'customer_done', 'script_end', 'handed_off', 'max_turns', 'error'];

function GroupTable({ title, groups, testId }: { title: string; groups: Record<string, ConversationMetricsSummary>; testId: string }) {
  const { t } = useI18n();
  return (
    <div>
      <h3>{title}</h3>
      <table className="table table-compact" data-testid={testId}>
        <thead>
          <tr>
            <th>{t('runs.group')}</th>
            <th className="num">{t('runs.conv.scenarios')}</th>
            <th className="num">{t('runs.conv.goalSuccess')}</th>
            <th className="num">{t('runs.metric.fcr')}</th>
            <th className="num">{t('runs.conv.passKShort')}</th>
            <th className="num">{t('runs.conv.turns')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(groups).map(([name, m]) => (
            <tr key={name}>
              <td>{name}</td>
              <td className="num">{m.scenarios}</td>
              <td className="num num-interval">{formatConversationInterval(m.goal_success)}</td>
              <td className="num num-interval">{formatConversationInterval(m.fcr)}</td>
              <td className="num num-interval">{formatConversationInterval(m.pass_k)}</td>
              <td className="num num-interval">{formatConversationInterval(m.turns, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ConversationBreakdown({ run }: { run: RunRow }) {
  const { t } = useI18n();
  const c = run.summary?.conversation;
  if (!c) return null;
  return (
    <section className="card" data-testid="breakdown">
      <h2>{t('runs.breakdownFor', { candidate: run.candidate_name })}</h2>
      <p className="muted small">{t('runs.conv.ended', { ended: Object.entries(c.ended).map(([k, n]) => `${ENDS.includes(k) ? t(`conv.end.${k}` as 'conv.end.goal_met') : k} ${n}`).join(' · ') || '—' })}</p>
      <div className="breakdown-grid">
        <GroupTable title={t('runs.byLanguage')} groups={c.by_language} testId="by-language" />
        <GroupTable title={t('runs.byIntent')} groups={c.by_intent} testId="by-intent" />
      </div>
    </section>
  );
}
