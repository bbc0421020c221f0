// The promotion gate's checks: name, passed or failed, and the detail.
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
        {checks.map((c) => (
          <tr key={c.name} data-passed={c.passed}>
            <td>{c.name}</td>
            <td>
              <span className={`badge ${c.passed ? 'badge-ok' : 'badge-bad'}`}>{c.passed ? t('promotion.pass') : t('promotion.fail')}</span>
            </td>
            <td>{c.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
