// Fine-tuning sets for engineers and admins: every built set version and, for the selected one,
// its data card and files to download.
import { useState } from 'react';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { localDateTime } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useFinetuneSets } from '../api/get-sets.ts';
import type { FinetuneSet } from '../../../lib/contract.ts';
import { SetCard } from './set-card.tsx';

const BUILD_COMMAND = 'npx firstcall finetune build --name NAME --format openai';
const keyOf = (set: FinetuneSet) => `${set.name}@${set.version}`;

export function FinetunePage() {
  const { t } = useI18n();
  const sets = useFinetuneSets();
  const [selected, setSelected] = useState<string | null>(null);

  if (sets.isPending) return <Loading label={t('common.loading')} />;
  if (sets.error) return <ErrorNotice error={sets.error} onRetry={() => void sets.refetch()} retryLabel={t('common.retry')} />;

  const list = sets.data.sets;
  const current = list.find((s) => keyOf(s) === selected) ?? list[0];

  return (
    <div className="finetune">
      <header className="page-header">
        <h1>{t('finetune.title')}</h1>
        <button type="button" className="btn btn-small" onClick={() => void sets.refetch()}>
          {t('common.refresh')}
        </button>
      </header>

      {list.length === 0 ? (
        <section className="card" data-testid="finetune-empty">
          <p>{t('finetune.empty')}</p>
          <pre className="mono">
            <code>{BUILD_COMMAND}</code>
          </pre>
          <p className="muted">{t('finetune.emptyHint')}</p>
        </section>
      ) : (
        <>
          <section className="card">
            <h2>{t('finetune.sets')}</h2>
            <div className="table-scroll">
              <table className="table" data-testid="finetune-sets">
                <thead>
                  <tr>
                    <th>{t('finetune.name')}</th>
                    <th className="num">{t('finetune.version')}</th>
                    <th>{t('finetune.format')}</th>
                    <th className="num">{t('finetune.examples')}</th>
                    <th className="num">{t('finetune.tokensTotal')}</th>
                    <th>{t('finetune.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((set) => {
                    const key = keyOf(set);
                    const active = current !== undefined && keyOf(current) === key;
                    return (
                      <tr key={key} data-set={key} aria-selected={active} className={active ? 'row-differs' : undefined}>
                        <td>
                          <button type="button" className="link-button" onClick={() => setSelected(key)} aria-pressed={active}>
                            {set.name}
                          </button>
                        </td>
                        <td className="num">v{set.version}</td>
                        <td>{set.format}</td>
                        <td className="num">{set.card.examples.total}</td>
                        <td className="num">{set.card.tokens.total}</td>
                        <td>{localDateTime(set.card.created_at)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
          {current && <SetCard set={current} />}
        </>
      )}
    </div>
  );
}
