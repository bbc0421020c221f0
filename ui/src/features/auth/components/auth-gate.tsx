// Shows the sign-in page until a key is accepted, then provides the session to the app.
import { useMemo, type ReactNode } from 'react';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { SessionContext, useSessionState, type Session } from '../../../lib/session.tsx';
import { useMe } from '../api/get-me.ts';
import { useSignOut } from '../hooks/use-sign-out.ts';
import { SignInForm } from './sign-in-form.tsx';

export function AuthGate({ signedOut, children }: { signedOut: (form: ReactNode) => ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  const { apiKey, notice } = useSessionState();
  const me = useMe(apiKey !== null);
  const signOut = useSignOut();
  const session = useMemo<Session | null>(() => (me.data ? { me: me.data, signOut } : null), [me.data, signOut]);

  if (apiKey === null) return <>{signedOut(<SignInForm notice={notice} />)}</>;
  if (me.isPending) return <>{signedOut(<Loading label={t('common.loading')} />)}</>;
  if (!session) return <>{signedOut(<ErrorNotice error={me.error} onRetry={() => void me.refetch()} retryLabel={t('common.retry')} />)}</>;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
