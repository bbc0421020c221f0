import type { Dialogue } from '../../../lib/contract.ts';
import { localDateTime } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { channelName } from '../utils/translated-names.ts';

/** Id, channel, time, language and source, and what the logs say happened. */
export function DialogueHeader({ dialogue }: { dialogue: Dialogue }) {
  const { t } = useI18n();
  const outcome = dialogue.outcome;
  return (
    <div className="dialogue-header">
      <div className="dialogue-title">
        <code className="dialogue-id">{dialogue.id}</code>
        <span className="badge">{t('dialogue.channel')}: {channelName(t, dialogue.channel)}</span>
        <span className="badge">{dialogue.language === 'zh' ? '中文' : 'English'}</span>
        <span className="badge">{dialogue.source}</span>
      </div>
      <div className="muted small">
        {dialogue.started_at && <span>{localDateTime(dialogue.started_at)} · </span>}
        {t('dialogue.turns', { n: dialogue.turns.length })}
        {outcome && (
          <>
            {' · '}
            {t('dialogue.logOutcome')}:{' '}
            {outcome.resolved !== undefined && <span>{outcome.resolved ? t('dialogue.resolved') : t('dialogue.unresolved')} </span>}
            {outcome.escalated !== undefined && <span>{outcome.escalated ? t('dialogue.escalated') : t('dialogue.notEscalated')} </span>}
            {outcome.csat !== undefined && <span>CSAT {outcome.csat}</span>}
          </>
        )}
      </div>
    </div>
  );
}
