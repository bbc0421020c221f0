// This reviewer's latest labels, to reopen one and correct it.
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useLabels } from '../api/get-labels.ts';

export function RecentLabels({ reviewer, currentId, onOpen }: { reviewer: string; currentId: string | null; onOpen: (id: string) => void }) {
  const { t } = useI18n();
  const labels = useLabels({ reviewer, limit: 6 });
  if (!labels.data || labels.data.labels.length === 0) return null;
  return (
    <details className="recent">
      <summary>{t('queue.recent', { n: labels.data.total })}</summary>
      <ul>
        {labels.data.labels.map((label) => (
          <li key={label.dialogue_id}>
            <button type="button" className="link-button" disabled={label.dialogue_id === currentId} onClick={() => onOpen(label.dialogue_id)}>
              <code>{label.dialogue_id}</code>
            </button>{' '}
            <span className="muted small">
              {label.intent ?? '—'} · {t(`status.${label.status}`)}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
