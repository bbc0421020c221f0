// The engine's judgement of one conversation: goal met, FCR, repeated asks, escalation, tone, time.
import type { ConversationDetail } from '../../../lib/contract.ts';
import { formatNumber, formatPercent } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { Verdict } from './end-state-check.tsx';

export function JudgementPanel({ conversation }: { conversation: ConversationDetail }) {
  const { t } = useI18n();
  const j = conversation.judgement;
  const yesNo = (v: boolean) => (v ? t('conv.yes') : t('conv.no'));
  return (
    <section className="conv-section" data-testid="judgement">
      <h3>{t('conv.judgement')}</h3>
      <dl className="conv-judgement">
        <div data-testid="judgement-goal" data-ok={j.goal_met}>
          <dt>{t('conv.goalMet')}</dt>
          <dd>
            <Verdict ok={j.goal_met} /> <span className="muted small">{t(`conv.basis.${j.goal_basis}`)}</span>
          </dd>
        </div>
        <div data-testid="judgement-fcr" data-ok={j.fcr}>
          <dt>{t('conv.fcr')}</dt>
          <dd>
            <Verdict ok={j.fcr} />
            {j.needless_handoff && <span className="muted small"> {t('conv.needlessHandoff')}</span>}
          </dd>
        </div>
        <div data-ok={j.repeated_asks === 0}>
          <dt>{t('conv.repeatedAsks')}</dt>
          <dd>
            <Verdict ok={j.repeated_asks === 0} /> {j.repeated_asks}
          </dd>
        </div>
        <div data-ok={j.escalation_correct}>
          <dt>{t('conv.escalationCorrect')}</dt>
          <dd>
            <Verdict ok={j.escalation_correct} />{' '}
            <span className="muted small">
              {t('conv.escalationDetail', { handedOff: yesNo(j.handed_off), needed: yesNo(j.escalation_expected) })}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('conv.tone')}</dt>
          <dd>{formatNumber(j.tone)}</dd>
        </div>
        <div>
          <dt>{t('conv.handlingTime')}</dt>
          <dd>{t('conv.seconds', { s: formatNumber(j.handling_time_s, 0) })}</dd>
        </div>
        <div>
          <dt>{t('conv.turns')}</dt>
          <dd>{t('conv.turnsDetail', { agent: j.agent_turns, customer: j.customer_turns })}</dd>
        </div>
        {j.facts_coverage !== null && (
          <div>
            <dt>{t('conv.factsCoverage')}</dt>
            <dd>{formatPercent(j.facts_coverage)}</dd>
          </div>
        )}
        <div>
          <dt>{t('conv.ended')}</dt>
          <dd>
            <EndedBadge ended={conversation.ended} />
          </dd>
        </div>
      </dl>
      {conversation.error && <p className="notice notice-error">{conversation.error}</p>}
    </section>
  );
}

const ENDS = ['goal_met', 'gave_up', 'customer_done', 'script_end', 'handed_off', 'max_turns', 'error'];

export function EndedBadge({ ended }: { ended: string }) {
  const { t } = useI18n();
  const label = ENDS.includes(ended) ? t(`conv.end.${ended}` as 'conv.end.goal_met') : ended;
  return <span className={`badge ${ended === 'goal_met' ? 'badge-ok' : ended === 'error' || ended === 'gave_up' ? 'badge-bad' : ''}`}>{label}</span>;
}
