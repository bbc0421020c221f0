// The promotion gate's checks: name, passed, failed or not gated, and the detail. A check whose
// scorers are not trusted passes without deciding: it says so in the UI's language before the
// gate's own sentence (with the numbers: κ, AUC, labels).
import { useI18n } from '../../../lib/i18n-context.tsx';
import type { GateCheck } from '../../../lib/contract.ts';

export function GateChecks({ checks }: { checks: readonly GateCheck[] }) {
  const { t } = useI18n();
  return (
    <table className="table table-compact" data-testid="gate-checks">
      <thead>
        <tr>
          <th>{t('promotion.check')}</th>
          <th>{t('promotion.result')}</th>
          <th>{t('promotion.detail')}</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c) => {
          const notGated = c.gated === false;
          const lead = notGated ? t('promotion.notGatedHelp') : c.name === 'trusted_scorers' && !c.passed ? t('promotion.untrustedHelp') : null;
          return (
            <tr key={c.name} data-check={c.name} data-passed={c.passed} data-gated={!notGated}>
              <td>
                {t(`promotion.checkName.${c.name}`)} <code className="muted small">{c.name}</code>
              </td>
              <td>
                <span className={`badge ${notGated ? '' : c.passed ? 'badge-ok' : 'badge-bad'}`}>{notGated ? t('promotion.notGated') : c.passed ? t('promotion.pass') : t('promotion.fail')}</span>
              </td>
              <td>
                {lead && <div>{lead}</div>}
                <div className={lead ? 'muted small' : undefined}>{c.detail}</div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
