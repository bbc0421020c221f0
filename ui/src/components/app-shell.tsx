// The frame around every page: brand, navigation, language, who is signed in.
import type { ReactNode } from 'react';
import { useI18n } from '../lib/i18n-context.tsx';
import { Link } from '../lib/router.tsx';
import { LanguageSwitch } from './language-switch.tsx';

export interface NavItem {
  to: string;
  label: string;
}

export function AppShell({
  nav,
  pathname,
  user,
  onSignOut,
  children,
}: {
  nav: NavItem[];
  pathname: string;
  user: { name: string; role: string } | null;
  onSignOut?: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">firstcall</span>
        <nav className="nav" aria-label={t('app.navigation')}>
          {nav.map((item) => (
            <Link key={item.to} to={item.to} className="nav-link" aria-current={pathname === item.to ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="topbar-end">
          <LanguageSwitch />
          {user && (
            <>
              <span className="user" title={user.role}>
                {user.name} <span className="badge">{user.role}</span>
              </span>
              <button type="button" className="btn btn-small" onClick={onSignOut}>
                {t('auth.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main className="page">{children}</main>
    </div>
  );
}
