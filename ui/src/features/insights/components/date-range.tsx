// The date range of trends, channel comparison and production traffic (local calendar dates, both ends included).
import { useI18n } from '../../../lib/i18n-context.tsx';

export function DateRange({ from, to, onChange }: { from?: string; to?: string; onChange: (range: { from: string | null; to: string | null }) => void }) {
  const { t } = useI18n();
  return (
    <div className="inline-fields" data-testid="date-range">
      <label className="field field-inline">
        <span>{t('insights.from')}</span>
        <input type="date" value={from ?? ''} max={to} aria-label={t('insights.from')} onChange={(e) => onChange({ from: e.target.value || null, to: to ?? null })} />
      </label>
      <label className="field field-inline">
        <span>{t('insights.to')}</span>
        <input type="date" value={to ?? ''} min={from} aria-label={t('insights.to')} onChange={(e) => onChange({ from: from ?? null, to: e.target.value || null })} />
      </label>
      {(from || to) && (
        <button type="button" className="btn btn-small" onClick={() => onChange({ from: null, to: null })}>
          {t('insights.allTime')}
        </button>
      )}
    </div>
  );
}
