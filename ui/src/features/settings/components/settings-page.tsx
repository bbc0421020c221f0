// The store's settings (admin): labeling, and when a scorer is trusted to gate evals and promotion.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { Settings } from '../../../lib/contract.ts';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { isAdmin, useSession } from '../../../lib/session.tsx';
import { useSettings } from '../api/get-settings.ts';
import { useUpdateSettings } from '../api/update-settings.ts';
import { checkDraft, draftOf, type SettingsDraft } from '../utils/settings-form.ts';

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
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(initial));
  const checked = checkDraft(draft);
  const editable = isAdmin(me);
  const set = (field: Exclude<keyof SettingsDraft, 'gate_untrusted'>) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (checked.ok) update.mutate(checked.settings);
  };
  return (
    <form className="card settings" onSubmit={submit}>
      <h1>{t('settings.title')}</h1>
      <h2>{t('settings.labeling')}</h2>
      <NumberField label={t('settings.overlap')} help={t('settings.overlapHelp')} value={draft.overlap} onChange={set('overlap')} min={1} max={10} step={1} disabled={!editable} />
      <NumberField label={t('settings.window')} help={t('settings.windowHelp')} value={draft.fcr_window_days} onChange={set('fcr_window_days')} min={1} max={90} step={1} disabled={!editable} />
      {!checked.ok && checked.labeling && <div className="notice notice-error">{t('settings.invalid')}</div>}

      <h2>{t('settings.gates')}</h2>
      <p className="muted small">{t('settings.gatesIntro')}</p>
      <NumberField label={t('settings.gateMinKappa')} help={t('settings.gateMinKappaHelp')} value={draft.gate_min_kappa} onChange={set('gate_min_kappa')} min={-1} max={1} step={0.05} disabled={!editable} />
      <NumberField label={t('settings.gateMinAuc')} help={t('settings.gateMinAucHelp')} value={draft.gate_min_auc} onChange={set('gate_min_auc')} min={0.5} max={1} step={0.01} disabled={!editable} />
      <NumberField label={t('settings.gateMinLabels')} help={t('settings.gateMinLabelsHelp')} value={draft.gate_min_labels} onChange={set('gate_min_labels')} min={0} step={1} disabled={!editable} />
      <div className="field">
        <label className="checkbox">
          <input type="checkbox" checked={draft.gate_untrusted} onChange={(e) => setDraft((d) => ({ ...d, gate_untrusted: e.target.checked }))} disabled={!editable} />
          {t('settings.gateUntrusted')}
        </label>
        <span className="muted small">{t('settings.gateUntrustedHelp')}</span>
      </div>
      {!checked.ok && checked.gates && <div className="notice notice-error">{t('settings.gateInvalid')}</div>}

      {update.error && <ErrorNotice error={update.error} />}
      {update.isSuccess && <div className="notice notice-ok">{t('settings.saved')}</div>}
      {editable && (
        <button type="submit" className="btn btn-primary" disabled={!checked.ok || update.isPending}>
          {t('common.save')}
        </button>
      )}
    </form>
  );
}

interface NumberFieldProps {
  label: string;
  help: ReactNode;
  value: string;
  onChange: (value: string) => void;
  min: number;
  max?: number;
  step: number;
  disabled: boolean;
}

function NumberField({ label, help, value, onChange, min, max, step, disabled }: NumberFieldProps) {
  return (
    <label className="field">
      <span>{label}</span>
      <input type="number" min={min} max={max} step={step} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} />
      <span className="muted small">{help}</span>
    </label>
  );
}
