// A date filter in the UI language: `lang` on the input (browsers that honour it format the field by
// it), and the picked date spelled out in the UI language beside it, since Chromium formats its date
// field by the browser's own locale whatever `lang` says.
import { useI18n } from '../../../lib/i18n-context.tsx';

export const uiLang = (locale: 'zh' | 'en') => (locale === 'zh' ? 'zh-CN' : 'en');

/** `2026-03-02` -> 2026年3月2日 / Mar 2, 2026 (read as a calendar date, no time zone shift). */
export function formatDateForUi(value: string, locale: 'zh' | 'en'): string {
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d) return value;
  return new Intl.DateTimeFormat(uiLang(locale), { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function DateInput({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { locale } = useI18n();
  return (
    <>
      <input type="date" lang={uiLang(locale)} value={value} onChange={(e) => onChange(e.target.value)} />
      {value && (
        <span className="muted small date-shown" data-testid="date-shown">
          {formatDateForUi(value, locale)}
        </span>
      )}
    </>
  );
}
