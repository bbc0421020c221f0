// The guidelines: a safe markdown subset for everyone, a textarea for admins.
import { useState } from 'react';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { SafeMarkdown } from '../../../components/safe-markdown.tsx';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { isAdmin, useSession } from '../../../lib/session.tsx';
import { useGuidelines } from '../api/get-guidelines.ts';
import { useUpdateGuidelines } from '../api/update-guidelines.ts';

export function GuidelinesPanel({ compact = false }: { compact?: boolean }) {
  const { t } = useI18n();
  const { me } = useSession();
  const guidelines = useGuidelines();
  const update = useUpdateGuidelines();
  const [draft, setDraft] = useState<string | null>(null);

  if (guidelines.isPending) return <Loading label={t('common.loading')} />;
  if (guidelines.error) return <ErrorNotice error={guidelines.error} onRetry={() => void guidelines.refetch()} retryLabel={t('common.retry')} />;
  const { text, updated_at, updated_by } = guidelines.data;

  return (
    <section className={`guidelines ${compact ? 'guidelines-compact' : 'card'}`} aria-label={t('guidelines.title')}>
      <header className="guidelines-header">
        <h2>{t('guidelines.title')}</h2>
        {isAdmin(me) && draft === null && (
          <button type="button" className="btn btn-small" onClick={() => setDraft(text)}>
            {t('common.edit')}
          </button>
        )}
      </header>
      {updated_at && <p className="muted small">{t('guidelines.updated', { when: updated_at.slice(0, 16).replace('T', ' '), who: updated_by ?? '—' })}</p>}
      {draft !== null ? (
        <form
          className="guidelines-edit"
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate(draft, { onSuccess: () => setDraft(null) });
          }}
        >
          <p className="muted small">{t('guidelines.syntax')}</p>
          <textarea value={draft} rows={compact ? 14 : 24} onChange={(event) => setDraft(event.target.value)} aria-label={t('guidelines.title')} />
          {update.error && <ErrorNotice error={update.error} />}
          <div className="actions">
            <button type="submit" className="btn btn-primary btn-small" disabled={update.isPending}>
              {t('common.save')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setDraft(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : text.trim() === '' ? (
        <p className="muted">{t('guidelines.empty')}</p>
      ) : (
        <SafeMarkdown source={text} />
      )}
    </section>
  );
}
