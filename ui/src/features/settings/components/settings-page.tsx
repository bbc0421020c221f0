import { useState, type FormEvent } from 'react';
import { Settings } from '../../../lib/contract.ts';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { isAdmin, useSession } from '../../../lib/session.tsx';
import { useSettings } from '../api/get-settings.ts';
import { useUpdateSettings } from '../api/update-settings.ts';

export function SettingsPage() {
  const { t } = useI18n();
  const settings = useSettings();
  if (settings.isPending) return <Loading label={t('common.loading')} />;
  if (settings.error) return <ErrorNotice error={settings.error} onRetry={() => void settings.refetch()} retryLabel={t('common.retry')} />;
  return <SettingsForm initial={settings.data} />;
}

function SettingsForm({ initial }: { initial: Settings }) {
  const { t } = useI18n();
  const { me } = useSession();
  const update = useUpdateSettings();
  const [overlap, setOverlap] = useState(String(initial.overlap));
  const [windowDays, setWindowDays] = useState(String(initial.fcr_window_days));
  const parsed = Settings.safeParse({ overlap: Number(overlap), fcr_window_days: Number(windowDays) });
  const editable = isAdmin(me);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (parsed.success) update.mutate(parsed.data);
  };
  return (
    <form className="card settings" onSubmit={submit}>
      <h1>{t('settings.title')}</h1>
      <label className="field">
        <span>{t('settings.overlap')}</span>
        <input type="number" min={1} max={10} value={overlap} onChange={(e) => setOverlap(e.target.value)} disabled={!editable} />
        <span className="muted small">{t('settings.overlapHelp')}</span>
      </label>
      <label className="field">
        <span>{t('settings.window')}</span>
        <input type="number" min={1} max={90} value={windowDays} onChange={(e) => setWindowDays(e.target.value)} disabled={!editable} />
        <span className="muted small">{t('settings.windowHelp')}</span>
      </label>
      {!parsed.success && <div className="notice notice-error">{t('settings.invalid')}</div>}
      {update.error && <ErrorNotice error={update.error} />}
      {update.isSuccess && <div className="notice notice-ok">{t('settings.saved')}</div>}
      {editable && (
        <button type="submit" className="btn btn-primary" disabled={!parsed.success || update.isPending}>
          {t('common.save')}
        </button>
      )}
    </form>
  );
}
