// Reply runs (one reply per suite case) or conversation runs (whole simulated conversations on a scenario set).
import { RUN_KINDS, type RunKind } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';

export function RunKindSwitch({ kind, onChange }: { kind: RunKind; onChange: (kind: RunKind) => void }) {
  const { t } = useI18n();
  return (
    <div className="segmented" role="group" aria-label={t('runs.kind')} data-testid="run-kind">
      {RUN_KINDS.map((k) => (
        <button key={k} type="button" className="seg" aria-pressed={kind === k} onClick={() => onChange(k)}>
          {t(`runs.kind.${k}`)}
        </button>
      ))}
    </div>
  );
}
