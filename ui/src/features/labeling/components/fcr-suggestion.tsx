// The FCR estimate from logs: shown as a suggestion with its reason, applied only on request.
import type { FcrEstimateView } from '../../../lib/contract.ts';
import { Kbd } from '../../../components/kbd.tsx';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { fcrReasonText } from '../utils/translated-names.ts';

export function FcrSuggestion({ estimate, applied, onUse }: { estimate: FcrEstimateView; applied: boolean; onUse: () => void }) {
  const { t } = useI18n();
  return (
    <section className="card suggestion" aria-label={t('suggestion.title')}>
      <h3>{t('suggestion.title')}</h3>
      <p>
        <span className={`badge fcr-${estimate.value}`}>{t(`fcr.${estimate.value}`)}</span> <span className="small" data-testid="fcr-reason" title={estimate.reason}>
          {fcrReasonText(t, estimate)}
        </span>
      </p>
      <p className="muted small">
        {t('suggestion.window', { days: estimate.window_days })}
        {estimate.repeat_dialogue_id && <> · {t('suggestion.repeat', { id: estimate.repeat_dialogue_id })}</>}
      </p>
      <button type="button" className="btn btn-small" onClick={onUse} disabled={applied}>
        {applied ? t('suggestion.applied') : t('suggestion.use')} <Kbd keys="a" />
      </button>
    </section>
  );
}
