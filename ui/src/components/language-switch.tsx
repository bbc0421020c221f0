import { LOCALES } from '../lib/i18n.ts';
import { useI18n } from '../lib/i18n-context.tsx';

const NAMES = { en: 'English', zh: '中文' } as const;

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('app.language')}>
      {LOCALES.map((code) => (
        <button key={code} type="button" className="btn btn-small" aria-pressed={locale === code} lang={code} onClick={() => setLocale(code)}>
          {NAMES[code]}
        </button>
      ))}
    </div>
  );
}
