// Candidate new topics (clusters of dialogues no known intent covers): key terms and examples; an
// admin names one (intent key and zh/en display names), which adds the intent and labels its members.
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { TOPIC_STATUSES, type Topic, type TopicStatus } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { Link } from '../../../lib/router.tsx';
import { useTopics } from '../api/get-topics.ts';
import { useNameTopic } from '../api/name-topic.ts';
import { useIntentLabel } from '../hooks/use-group-label.ts';

const KEY_TERMS_SHOWN = 12;

export function TopicsPanel({ admin, dialogueHref }: { admin: boolean; dialogueHref: (id: string) => string }) {
  const { t } = useI18n();
  const topics = useTopics();
  const [status, setStatus] = useState<TopicStatus>('candidate');
  // Named topics leave the candidate list: the confirmation lives here, not in their card.
  const [named, setNamed] = useState<string | null>(null);
  if (topics.isPending) return <Loading label={t('common.loading')} />;
  if (topics.error) return <ErrorNotice error={topics.error} onRetry={() => void topics.refetch()} retryLabel={t('common.retry')} />;
  const all = topics.data.topics;
  const shown = all.filter((topic) => topic.status === status).sort((a, b) => b.size - a.size);
  return (
    <section className="insights-topics" data-testid="topics">
      <div className="inline-fields insights-controls">
        <div className="segmented" role="group" aria-label={t('insights.topics.status')}>
          {TOPIC_STATUSES.map((s) => (
            <button key={s} type="button" className="seg" aria-pressed={status === s} onClick={() => setStatus(s)}>
              {t(`insights.topics.status.${s}`)} ({all.filter((topic) => topic.status === s).length})
            </button>
          ))}
        </div>
      </div>
      <p className="muted small">{t('insights.topics.note')}</p>
      {named && (
        <p className="notice notice-ok" role="status">
          {named}
        </p>
      )}
      {shown.length === 0 && (
        <p className="notice" data-testid="topics-empty">
          {status === 'candidate' ? t('insights.topics.noneCandidate') : t('insights.topics.none')}
        </p>
      )}
      {shown.map((topic) => (
        <TopicCard key={topic.id} topic={topic} admin={admin} dialogueHref={dialogueHref} onNamed={setNamed} />
      ))}
    </section>
  );
}

function TopicCard({ topic, admin, dialogueHref, onNamed }: { topic: Topic; admin: boolean; dialogueHref: (id: string) => string; onNamed: (message: string) => void }) {
  const { t } = useI18n();
  const intentLabel = useIntentLabel();
  return (
    <article className="card insights-topic" data-testid="topic" data-topic-id={topic.id} data-status={topic.status}>
      <header className="page-header">
        <h3>
          {topic.status === 'named' && topic.named_intent ? intentLabel(topic.named_intent) : t('insights.topics.candidateTitle', { n: topic.size })}{' '}
          <span className="badge">{topic.language}</span>
        </h3>
        <span className="muted small">
          {t('insights.topics.found', { when: topic.created_at.slice(0, 10) })} · <span className="mono">{topic.id}</span>
        </span>
      </header>
      <div className="chips" aria-label={t('insights.topics.keyTerms')}>
        {topic.key_terms.slice(0, KEY_TERMS_SHOWN).map((k) => (
          <span key={k.term} className="chip" title={k.score.toFixed(3)}>
            {k.term}
          </span>
        ))}
      </div>
      <h4>{t('insights.topics.examples')}</h4>
      <ul className="insights-topic-examples">
        {topic.examples.map((e) => (
          <li key={e.dialogue_id}>
            <Link to={dialogueHref(e.dialogue_id)} className="mono small" title={t('insights.openInLabeling')}>
              {e.dialogue_id}
            </Link>{' '}
            <span>{e.text}</span>
          </li>
        ))}
      </ul>
      {admin && topic.status === 'candidate' && <NameTopicForm topic={topic} onNamed={onNamed} />}
    </article>
  );
}

function NameTopicForm({ topic, onNamed }: { topic: Topic; onNamed: (message: string) => void }) {
  const { t } = useI18n();
  const name = useNameTopic();
  const [intent, setIntent] = useState('');
  const [zh, setZh] = useState('');
  const [en, setEn] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const names = { ...(zh.trim() ? { zh: zh.trim() } : {}), ...(en.trim() ? { en: en.trim() } : {}) };
    name.mutate(
      { id: topic.id, intent: intent.trim(), names: Object.keys(names).length > 0 ? names : undefined },
      { onSuccess: (result) => onNamed(t('insights.topics.named', { intent: result.topic.named_intent ?? intent.trim(), n: result.labeled })) },
    );
  };
  return (
    <form className="insights-name-topic" onSubmit={submit} aria-label={t('insights.topics.nameTitle')}>
      <label className="field field-inline">
        <span>{t('insights.topics.intentKey')}</span>
        <input value={intent} onChange={(e) => setIntent(e.target.value)} placeholder="screen_repair" required aria-label={t('insights.topics.intentKey')} />
      </label>
      <label className="field field-inline">
        <span>{t('insights.topics.nameZh')}</span>
        <input value={zh} onChange={(e) => setZh(e.target.value)} aria-label={t('insights.topics.nameZh')} />
      </label>
      <label className="field field-inline">
        <span>{t('insights.topics.nameEn')}</span>
        <input value={en} onChange={(e) => setEn(e.target.value)} aria-label={t('insights.topics.nameEn')} />
      </label>
      <button type="submit" className="btn btn-primary btn-small" disabled={name.isPending || intent.trim() === ''}>
        {t('insights.topics.name')}
      </button>
      {name.error && <ErrorNotice error={name.error} />}
    </form>
  );
}
