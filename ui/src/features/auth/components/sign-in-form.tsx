import { useState, type FormEvent } from 'react';
import { isUnauthorized } from '../../../lib/api-client.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { useSignIn } from '../api/get-me.ts';

export function SignInForm({ notice }: { notice: string | null }) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const signIn = useSignIn();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (trimmed) signIn.mutate(trimmed);
  };
  return (
    <form className="card signin" onSubmit={submit}>
      <h1>{t('auth.title')}</h1>
      <p className="muted">{t('auth.intro')}</p>
      {notice && !signIn.error && (
        <div className="notice notice-error" role="alert">
          {t('auth.expired')} ({notice})
        </div>
      )}
      {signIn.error &&
        (isUnauthorized(signIn.error) ? (
          <div className="notice notice-error" role="alert">
            {t('auth.rejected')}
          </div>
        ) : (
          <ErrorNotice error={signIn.error} />
        ))}
      <label className="field">
        <span>{t('auth.apiKey')}</span>
        <input
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="fc_…"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          autoFocus
        />
      </label>
      <button type="submit" className="btn btn-primary" disabled={signIn.isPending || key.trim() === ''}>
        {signIn.isPending ? t('auth.checking') : t('auth.signIn')}
      </button>
    </form>
  );
}
