// The queue filters. Selects apply at once; the channel text applies on Enter or when leaving it.
import { useEffect, useState, type FormEvent } from 'react';
import { SOURCES } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import type { QueueFilters as QueueFilterValues } from '../../../lib/contract.ts';
import { DateInput } from './date-input.tsx';

export function QueueFilters({
  filters,
  intents,
  onChange,
}: {
  filters: QueueFilterValues;
  intents: readonly { key: string; names?: { zh?: string; en?: string } }[];
  onChange: (filters: QueueFilterValues) => void;
}) {
  const { t, locale } = useI18n();
  const [channel, setChannel] = useState(filters.channel ?? '');
  useEffect(() => setChannel(filters.channel ?? ''), [filters.channel]);
  const set = (patch: Partial<QueueFilterValues>) => onChange({ ...filters, ...patch });
  const applyChannel = (event?: FormEvent) => {
    if (event) {
      event.preventDefault();
      // Enter applies and hands the keyboard back to the shortcuts
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    }
    if ((filters.channel ?? '') !== channel.trim()) set({ channel: channel.trim() || undefined });
  };
  const active = Object.keys(filters).length > 0;

  return (
    <form className="filters" onSubmit={applyChannel} aria-label={t('filters.title')}>
      <label>
        <span>{t('filters.language')}</span>
        <select value={filters.language ?? ''} onChange={(e) => set({ language: (e.target.value || undefined) as QueueFilterValues['language'] })}>
          <option value="">{t('filters.any')}</option>
          <option value="zh">中文</option>
          <option value="en">English</option>
        </select>
      </label>
      <label>
        <span>{t('filters.channel')}</span>
        <input value={channel} onChange={(e) => setChannel(e.target.value)} onBlur={() => applyChannel()} placeholder={t('filters.any')} size={8} />
      </label>
      <label>
        <span>{t('filters.intent')}</span>
        <select value={filters.intent ?? ''} onChange={(e) => set({ intent: e.target.value || undefined })}>
          <option value="">{t('filters.any')}</option>
          {intents.map((i) => (
            <option key={i.key} value={i.key}>
              {i.names?.[locale] ? `${i.names[locale]} (${i.key})` : i.key}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('filters.source')}</span>
        <select value={filters.source ?? ''} onChange={(e) => set({ source: e.target.value || undefined })}>
          <option value="">{t('filters.any')}</option>
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('filters.from')}</span>
        <DateInput value={filters.from ?? ''} onChange={(from) => set({ from: from || undefined })} />
      </label>
      <label>
        <span>{t('filters.to')}</span>
        <DateInput value={filters.to ?? ''} onChange={(to) => set({ to: to || undefined })} />
      </label>
      <label className="filters-check">
        <input type="checkbox" checked={filters.uncertain ?? false} onChange={(e) => set({ uncertain: e.target.checked || undefined })} />
        <span>{t('filters.uncertain')}</span>
      </label>
      {active && (
        <button type="button" className="btn btn-small" onClick={() => onChange({})}>
          {t('filters.clear')}
        </button>
      )}
    </form>
  );
}
