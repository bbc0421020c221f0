// Disagreements for an admin to settle: reviewers' labels side by side, differing fields marked,
// a decision column to pick or edit, submitted as the gold label.
import { useEffect, useMemo, useState } from 'react';
import { type LabelFields, type AdjudicationItem } from '../../../lib/contract.ts';
import type { z } from 'zod';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { PlainText } from '../../../components/plain-text.tsx';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { LABEL_FIELD_KEYS, differingFields, fieldsOf, type LabelFieldKey } from '../../../lib/label-fields.ts';
import { describeValue } from '../../../lib/label-text.ts';
import { isAdmin, useSession } from '../../../lib/session.tsx';
import { useAdjudicate } from '../api/adjudicate.ts';
import { useAdjudication } from '../api/get-adjudication.ts';
import { useDialogueForAdjudication } from '../api/get-dialogue.ts';
import { initialDecision, undecided } from '../utils/initial-decision.ts';
import { DecisionCell } from './decision-cell.tsx';

type Item = z.infer<typeof AdjudicationItem>;

export function AdjudicationPage() {
  const { t } = useI18n();
  const list = useAdjudication();
  const [selected, setSelected] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  const item = items.find((i) => i.dialogue_id === selected) ?? null;

  useEffect(() => {
    if (selected === null && items.length > 0) setSelected(items.find((i) => !i.gold)?.dialogue_id ?? items[0]!.dialogue_id);
  }, [items, selected]);

  if (list.isPending) return <Loading label={t('common.loading')} />;
  if (list.error) return <ErrorNotice error={list.error} onRetry={() => void list.refetch()} retryLabel={t('common.retry')} />;

  return (
    <div className="adjudication">
      <header className="page-header">
        <h1>{t('adjudication.title')}</h1>
        <span className="muted">{t('adjudication.count', { n: items.length, open: items.filter((i) => !i.gold).length })}</span>
      </header>
      {items.length === 0 ? (
        <p className="muted card">{t('adjudication.none')}</p>
      ) : (
        <div className="adjudication-body">
          <ul className="adjudication-list card">
            {items.map((i) => (
              <li key={i.dialogue_id}>
                <button type="button" className="list-button" aria-current={i.dialogue_id === selected} onClick={() => setSelected(i.dialogue_id)}>
                  <code>{i.dialogue_id}</code>
                  {i.gold && <span className="badge badge-ok">{t('adjudication.decided')}</span>}
                  <span className="muted small">{i.fields.map((f) => t(`field.${f}`)).join(t('common.listSeparator'))}</span>
                </button>
              </li>
            ))}
          </ul>
          {item && <Decision key={item.dialogue_id} item={item} />}
        </div>
      )}
    </div>
  );
}

function Decision({ item }: { item: Item }) {
  const { t } = useI18n();
  const { me } = useSession();
  const canDecide = isAdmin(me);
  const labels = useMemo(() => item.labels.map((label) => ({ reviewer: label.reviewer, fields: fieldsOf(label) })), [item.labels]);
  const disputed = useMemo(() => {
    const set = new Set<LabelFieldKey>([...item.fields, ...differingFields(labels.map((l) => l.fields))]);
    return LABEL_FIELD_KEYS.filter((key) => set.has(key));
  }, [item.fields, labels]);
  const [decision, setDecision] = useState<LabelFields>(() => initialDecision(labels.map((l) => l.fields), item.gold ? fieldsOf(item.gold) : null));
  const [showDialogue, setShowDialogue] = useState(false);
  const dialogue = useDialogueForAdjudication(item.dialogue_id, showDialogue);
  const adjudicate = useAdjudicate();
  const missing = undecided(decision, disputed);
  const intentChoices = [...new Set(labels.flatMap((l) => (l.fields.intent ? [l.fields.intent] : [])))];
  const change = (patch: Partial<LabelFields>) => setDecision((d) => ({ ...d, ...patch }));

  return (
    <section className="card decision" aria-label={t('adjudication.decision')}>
      <header className="page-header">
        <h2>
          <code>{item.dialogue_id}</code>
        </h2>
        <button type="button" className="btn btn-small" onClick={() => setShowDialogue((v) => !v)}>
          {showDialogue ? t('adjudication.hideDialogue') : t('adjudication.showDialogue')}
        </button>
      </header>
      {showDialogue &&
        (dialogue.data ? (
          <ol className="mini-transcript">
            {dialogue.data.dialogue.turns.map((turn, seq) => (
              <li key={seq} className={`mini-turn mini-${turn.role}`}>
                <span className="muted small">
                  #{seq} {t(`role.turn.${turn.role}`)}
                </span>
                <PlainText text={turn.text} />
              </li>
            ))}
          </ol>
        ) : dialogue.error ? (
          <ErrorNotice error={dialogue.error} />
        ) : (
          <Loading label={t('common.loading')} />
        ))}
      {item.gold && (
        <p className="muted small">
          {t('adjudication.goldBy', { who: item.gold.decided_by, when: item.gold.decided_at.slice(0, 16).replace('T', ' '), source: item.gold.source })}
        </p>
      )}
      <div className="table-scroll">
        <table className="table compare" data-testid="compare-table">
          <thead>
            <tr>
              <th>{t('agreement.field')}</th>
              {labels.map((l) => (
                <th key={l.reviewer}>
                  {l.reviewer}{' '}
                  <button type="button" className="btn btn-small" onClick={() => setDecision({ ...l.fields })}>
                    {t('adjudication.takeAll')}
                  </button>
                </th>
              ))}
              <th>{t('adjudication.decision')}</th>
            </tr>
          </thead>
          <tbody>
            {LABEL_FIELD_KEYS.map((key) => {
              const isDisputed = disputed.includes(key);
              return (
                <tr key={key} className={isDisputed ? 'row-differs' : undefined}>
                  <th scope="row">
                    {t(`field.${key}`)}
                    {isDisputed && <span className="badge badge-bad">{t('adjudication.differs')}</span>}
                  </th>
                  {labels.map((l) => (
                    <td key={l.reviewer}>
                      <button
                        type="button"
                        className="value-button plain-text"
                        title={t('adjudication.useValue')}
                        onClick={() => change({ [key]: structuredClone(l.fields[key]) } as Partial<LabelFields>)}
                      >
                        {describeValue(key, l.fields[key], t)}
                      </button>
                    </td>
                  ))}
                  <td className="decision-cell">
                    <DecisionCell field={key} decision={decision} intentChoices={intentChoices} onChange={change} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {missing.length > 0 && <p className="muted small">{t('adjudication.pickFirst', { fields: missing.map((k) => t(`field.${k}`)).join(t('common.listSeparator')) })}</p>}
      {adjudicate.error && <ErrorNotice error={adjudicate.error} />}
      {adjudicate.isSuccess && <div className="notice notice-ok">{t('adjudication.saved')}</div>}
      {!canDecide && <p className="muted small">{t('adjudication.adminDecides')}</p>}
      <div className="actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={!canDecide || missing.length > 0 || adjudicate.isPending}
          onClick={() => adjudicate.mutate({ dialogueId: item.dialogue_id, fields: decision })}
        >
          {t('adjudication.submit')}
        </button>
      </div>
    </section>
  );
}
