// Which dialogues trends and the channel comparison read: all of them, or one source (the production
// bot's own traffic, one imported data set, the logs).
import { SOURCES, type Source } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';

export function SourceFilter({ source, onChange }: { source?: Source; onChange: (source: Source | undefined) => void }) {
  const { t } = useI18n();
  return (
    <label className="field field-inline">
      <span>{t('insights.source')}</span>
      <select value={source ?? ''} aria-label={t('insights.source')} onChange={(e) => onChange((e.target.value || undefined) as Source | undefined)}>
        <option value="">{t('insights.source.all')}</option>
        {SOURCES.map((s) => (
          <option key={s} value={s}>
            {t(`source.${s}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
