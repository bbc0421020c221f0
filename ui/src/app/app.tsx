// Composes the features into pages (features never import each other; this file wires them).
import type { ReactNode } from 'react';
import { AppShell, type NavItem } from '../components/app-shell.tsx';
import { AdjudicationPage } from '../features/adjudication/components/adjudication-page.tsx';
import { AgreementPage } from '../features/agreement/components/agreement-page.tsx';
import { AuthGate } from '../features/auth/components/auth-gate.tsx';
import { ConversationsPage } from '../features/conversations/components/conversations-page.tsx';
import { FinetunePage } from '../features/finetune/components/finetune-page.tsx';
import { InsightsPage } from '../features/insights/components/insights-page.tsx';
import { GuidelinesPanel } from '../features/guidelines/components/guidelines-panel.tsx';
import { PromoteButton } from '../features/promotion/components/promote-dialog.tsx';
import { PromotionPage } from '../features/promotion/components/promotion-page.tsx';
import { ComparePage } from '../features/runs/components/compare-page.tsx';
import { RunsPage } from '../features/runs/components/runs-page.tsx';
import { LabelingScreen } from '../features/labeling/components/labeling-screen.tsx';
import { SettingsPage } from '../features/settings/components/settings-page.tsx';
import { useI18n } from '../lib/i18n-context.tsx';
import { usePathname } from '../lib/router.tsx';
import { isAdmin, isLead, useSession } from '../lib/session.tsx';
import { LabelingRoute, labelingHref } from './labeling-route.tsx';
import { AppProvider } from './provider.tsx';

function Pages() {
  const { t } = useI18n();
  const { me, signOut } = useSession();
  const pathname = usePathname();
  const admin = isAdmin(me);
  const lead = isLead(me);
  const nav: NavItem[] = [
    { to: '/', label: t('nav.label') },
    { to: '/agreement', label: t('nav.agreement') },
    ...(lead ? [{ to: '/adjudication', label: t('nav.adjudication') }] : []),
    ...(lead
      ? [
          { to: '/runs', label: t('nav.runs') },
          { to: '/compare', label: t('nav.compare') },
          { to: '/conversations', label: t('nav.conversations') },
          { to: '/promotion', label: t('nav.promotion') },
          { to: '/finetune', label: t('nav.finetune') },
          { to: '/insights', label: t('nav.insights') },
        ]
      : []),
    { to: '/guidelines', label: t('nav.guidelines') },
    ...(admin ? [{ to: '/settings', label: t('nav.settings') }] : []),
  ];
  let page;
  switch (pathname) {
    case '/':
      page = (
        <LabelingRoute>
          <LabelingScreen guidelines={<GuidelinesPanel compact />} />
        </LabelingRoute>
      );
      break;
    case '/agreement':
      page = <AgreementPage />;
      break;
    case '/adjudication':
      page = lead ? <AdjudicationPage /> : <p className="notice notice-error">{t('app.leadOnly')}</p>;
      break;
    case '/runs':
      page = lead ? (
        <RunsPage rowActions={(run) => <PromoteButton runId={run.id} candidate={run.candidate_name} admin={admin} />} />
      ) : (
        <p className="notice notice-error">{t('app.leadOnly')}</p>
      );
      break;
    case '/compare':
      page = lead ? <ComparePage /> : <p className="notice notice-error">{t('app.leadOnly')}</p>;
      break;
    case '/conversations':
      page = lead ? <ConversationsPage /> : <p className="notice notice-error">{t('app.leadOnly')}</p>;
      break;
    case '/promotion':
      page = lead ? <PromotionPage admin={admin} /> : <p className="notice notice-error">{t('app.leadOnly')}</p>;
      break;
    case '/finetune':
      page = lead ? <FinetunePage /> : <p className="notice notice-error">{t('app.leadOnly')}</p>;
      break;
    case '/insights':
      page = lead ? <InsightsPage admin={admin} dialogueHref={labelingHref} /> : <p className="notice notice-error">{t('app.leadOnly')}</p>;
      break;
    case '/guidelines':
      page = <GuidelinesPanel />;
      break;
    case '/settings':
      page = admin ? <SettingsPage /> : <p className="notice notice-error">{t('app.adminOnly')}</p>;
      break;
    default:
      page = <p className="notice">{t('app.notFound')}</p>;
  }
  return (
    <AppShell nav={nav} pathname={pathname} user={{ name: me.name, role: t(`role.${me.role}`) }} onSignOut={signOut}>
      {page}
    </AppShell>
  );
}

function SignedOut({ children }: { children: ReactNode }) {
  return (
    <AppShell nav={[]} pathname="" user={null}>
      <div className="signin-page">{children}</div>
    </AppShell>
  );
}

export function App() {
  return (
    <AppProvider>
      <AuthGate signedOut={(form) => <SignedOut>{form}</SignedOut>}>
        <Pages />
      </AuthGate>
    </AppProvider>
  );
}
