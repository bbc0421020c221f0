// One conversation of a run: who and what it was about, the judgement, the transcript with its tool
// calls and the customer's reactions, and the end state against the expectation.
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import type { RunRow } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useConversation } from '../api/get-conversation.ts';
import { ConversationTranscript } from './conversation-transcript.tsx';
import { EndStateCheck, Verdict } from './end-state-check.tsx';
import { JudgementPanel } from './judgement-panel.tsx';

export function ConversationView({ run, scenarioId, trial }: { run: RunRow | undefined; scenarioId: string; trial: number }) {
  const { t } = useI18n();
  const conversation = useConversation(run?.id ?? '', scenarioId, trial);
  const c = conversation.data;
  return (
    <article className="conv-view" data-testid="conversation-view" data-run={run?.id} data-candidate={run?.candidate_name} data-goal-met={c?.judgement.goal_met}>
      <header className="conv-view-header">
        <h2>
          {run?.candidate_name ?? '—'} {c && <Verdict ok={c.judgement.goal_met} />}
        </h2>
        <p className="muted small">
          {run?.model} · {t('conv.scenarioTrial', { scenario: scenarioId, trial })}
          {c && ` · ${c.language} · ${c.intent}`}
        </p>
      </header>
      {conversation.isPending && run && <Loading label={t('common.loading')} />}
      {conversation.error && <ErrorNotice error={conversation.error} onRetry={() => void conversation.refetch()} retryLabel={t('common.retry')} />}
      {c && (
        <>
          <JudgementPanel conversation={c} />
          <section className="conv-section">
            <h3>{t('conv.transcript')}</h3>
            <ConversationTranscript conversation={c} />
          </section>
          <EndStateCheck conversation={c} />
        </>
      )}
    </article>
  );
}
