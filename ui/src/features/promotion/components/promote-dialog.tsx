// "Promote…" from a leaderboard row: pick channel and label, run the gate, see every check; on a
// refusal an admin may force it with a reason (recorded in the history).
import { useState } from 'react';
import { Modal } from '../../../components/modal.tsx';
import { ApiError, errorMessage } from '../../../lib/api-client.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { Link } from '../../../lib/router.tsx';
import { usePromote } from '../api/promote.ts';
import { CHANNELS, CONFIG_LABELS, type ConfigLabel } from '../../../lib/contract.ts';
import { refusalOf } from '../utils/refusal.ts';
import { GateChecks } from './gate-checks.tsx';

export function PromoteButton({ runId, candidate, admin }: { runId: string; candidate: string; admin: boolean }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)} aria-label={t('promotion.promoteCandidate', { candidate })}>
        {t('promotion.promote')}
      </button>
      {open && <PromoteDialog runId={runId} candidate={candidate} admin={admin} onClose={() => setOpen(false)} />}
    </>
  );
}

export function PromoteDialog({ runId, candidate, admin, onClose }: { runId: string; candidate: string; admin: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const [channel, setChannel] = useState<string>('web');
  const [label, setLabel] = useState<ConfigLabel>('production');
  const [reason, setReason] = useState('');
  const promote = usePromote();
  const refused = ApiError.isInstance(promote.error) && promote.error.status === 409;
  const refusal = refusalOf(promote.error);
  // Forcing cannot promote an incomplete run: the refusal says whether it is offered.
  const forcible = refusal?.forcible === true;
  const checks = refusal?.decision?.checks ?? [];

  return (
    <Modal title={t('promotion.dialogTitle', { candidate })} onClose={onClose} closeLabel={t('common.close')}>
      <div className="promote-dialog" data-testid="promote-dialog">
        <div className="inline-fields">
          <label className="field">
            <span>{t('promotion.channel')}</span>
            <select value={channel} onChange={(e) => { setChannel(e.target.value); promote.reset(); }} aria-label={t('promotion.channel')}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('promotion.label')}</span>
            <select value={label} onChange={(e) => { setLabel(e.target.value as ConfigLabel); promote.reset(); }} aria-label={t('promotion.label')}>
              {CONFIG_LABELS.map((l) => (
                <option key={l} value={l}>
                  {t(`promotion.label.${l}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="actions">
          <button type="button" className="btn btn-primary" disabled={promote.isPending} onClick={() => promote.mutate({ run_id: runId, channel, label })}>
            {t('promotion.runGate')}
          </button>
        </div>

        {promote.data && (
          <div className="notice notice-ok" role="status" data-testid="promote-ok">
            {promote.data.forced
              ? t('promotion.forced', { version: promote.data.version })
              : t('promotion.promoted', { version: promote.data.version, channel: t(`channel.${channel}` as 'channel.web'), label: t(`promotion.label.${label}`) })}
          </div>
        )}
        {promote.data && <GateChecks checks={promote.data.checks} />}

        {promote.error && (
          <div className="notice notice-error" role="alert" data-testid="promote-refused">
            <div>
              <strong>{refused ? t('promotion.refused') : t('promotion.error')}</strong> {checks.length === 0 && errorMessage(promote.error)}
            </div>
          </div>
        )}
        {checks.length > 0 && <GateChecks checks={checks} />}
        {admin && checks.some((c) => c.name === 'trusted_scorers' && !c.passed) && (
          <p className="small">
            <Link to="/settings">{t('promotion.openSettings')}</Link>
          </p>
        )}
        {forcible && admin && (
          <div className="force" data-testid="force">
            <label className="field">
              <span>{t('promotion.forceReason')}</span>
              <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t('promotion.forceReason')} />
            </label>
            <button
              type="button"
              className="btn btn-danger"
              disabled={reason.trim().length < 3 || promote.isPending}
              onClick={() => promote.mutate({ run_id: runId, channel, label, force_reason: reason.trim() })}
            >
              {t('promotion.force')}
            </button>
          </div>
        )}
        {forcible && !admin && <p className="muted small">{t('promotion.adminForces')}</p>}
      </div>
    </Modal>
  );
}
