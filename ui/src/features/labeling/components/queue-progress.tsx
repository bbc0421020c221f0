import { useI18n } from '../../../lib/i18n-context.tsx';

export function QueueProgress({ done, remaining }: { done: number; remaining: number }) {
  const { t } = useI18n();
  const total = done + remaining;
  return (
    <div className="progress" aria-label={t('queue.progress')}>
      <span data-testid="progress-text">{t('queue.doneRemaining', { done, remaining })}</span>
      <meter min={0} max={Math.max(total, 1)} value={done} />
    </div>
  );
}
