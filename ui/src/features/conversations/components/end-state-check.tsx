// What the back office should look like at the end against what the conversation left, item by
// item with ✓/✗; then the escalation decision, must_say phrases and required facts; then every change made.
import type { ConversationDetail } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { conversationChecks, showRecord, showValue, stateChecks, type CheckItem } from '../utils/expectation-check.ts';
import { JsonView } from './json-view.tsx';

const COLLECTIONS = ['orders', 'tickets', 'returns', 'address_changes', 'transfers'];
const collectionLabel = (t: ReturnType<typeof useI18n>['t'], c: string) => (COLLECTIONS.includes(c) ? t(`conv.collection.${c}` as 'conv.collection.tickets') : c);

export function Verdict({ ok }: { ok: boolean }) {
  const { t } = useI18n();
  return (
    <span className={`verdict ${ok ? 'verdict-ok' : 'verdict-bad'}`} role="img" aria-label={ok ? t('conv.yes') : t('conv.no')} data-ok={ok}>
      {ok ? '✓' : '✗'}
    </span>
  );
}

function CheckRow({ item }: { item: CheckItem }) {
  const { t } = useI18n();
  const yesNo = (v: boolean) => (v ? t('conv.yes') : t('conv.no'));
  let what: string;
  let expected: string;
  let actual: string;
  switch (item.kind) {
    case 'order_field':
      what = t('conv.check.orderField', { order: item.key, field: item.field });
      expected = showValue(item.expected);
      actual = showValue(item.actual);
      break;
    case 'order_missing':
      what = t('conv.check.order', { order: item.key });
      expected = showRecord(item.expected);
      actual = t('conv.check.notOnAccount');
      break;
    case 'order_changed':
      what = t('conv.check.order', { order: item.key });
      expected = t('conv.check.unchanged');
      actual = Object.entries(item.fields).map(([f, { from, to }]) => `${f}: ${showValue(from)} → ${showValue(to)}`).join(' · ');
      break;
    case 'record':
      what = t('conv.check.newRecord', { collection: collectionLabel(t, item.collection) });
      expected = showRecord(item.expected);
      actual = item.actual ? showRecord(item.actual) : t('conv.check.noMatch');
      break;
    case 'unexpected':
      what = t('conv.check.newRecord', { collection: collectionLabel(t, item.collection) });
      expected = t('conv.check.noneExpected');
      actual = showRecord(item.actual);
      break;
    case 'nothing_changed':
      what = t('conv.check.backOffice');
      expected = t('conv.check.nothingChanges');
      actual = t('conv.check.nothingChanged');
      break;
    case 'escalation':
      what = t('conv.check.escalation');
      expected = item.expected ? t('conv.check.handOff') : t('conv.check.keep');
      actual = item.actual ? t('conv.check.handedOff') : t('conv.check.kept');
      break;
    case 'must_say':
      what = t('conv.check.mustSay');
      expected = item.phrase;
      actual = yesNo(item.ok);
      break;
    case 'fact':
      what = t('conv.check.fact');
      expected = item.fact;
      actual = item.ok ? t('conv.check.stated') : t('conv.check.notStated');
      break;
  }
  return (
    <tr data-ok={item.ok} data-kind={item.kind} className={item.ok ? undefined : 'row-regression'}>
      <td>
        <Verdict ok={item.ok} />
      </td>
      <td>{what}</td>
      <td className="conv-value">{expected}</td>
      <td className="conv-value">{actual}</td>
    </tr>
  );
}

export function EndStateCheck({ conversation }: { conversation: ConversationDetail }) {
  const { t } = useI18n();
  const state = stateChecks(conversation);
  const rest = conversationChecks(conversation);
  const j = conversation.judgement;
  return (
    <section className="conv-section" data-testid="end-state">
      <h3>{t('conv.endState')}</h3>
      {state === null && <p className="muted small">{t('conv.noExpectedState')}</p>}
      <table className="table table-compact" data-testid="expectation">
        <thead>
          <tr>
            <th />
            <th>{t('conv.check.item')}</th>
            <th>{t('conv.check.expected')}</th>
            <th>{t('conv.check.happened')}</th>
          </tr>
        </thead>
        <tbody>
          {[...(state ?? []), ...rest].map((item, i) => (
            <CheckRow key={i} item={item} />
          ))}
        </tbody>
      </table>
      <h4>{t('conv.changes')}</h4>
      {conversation.state_diff.length === 0 ? (
        <p className="muted small" data-testid="state-diff">
          {t('conv.noChanges')}
        </p>
      ) : (
        <ul className="conv-diff" data-testid="state-diff">
          {conversation.state_diff.map((d, i) => (
            <li key={i} data-op={d.op}>
              <span className={`badge ${d.op === 'removed' ? 'badge-bad' : d.op === 'added' ? 'badge-ok' : ''}`}>{t(`conv.op.${d.op}`)}</span>{' '}
              {collectionLabel(t, d.collection)} <code>{d.key}</code>
              {d.fields && (
                <ul>
                  {Object.entries(d.fields).map(([f, { from, to }]) => (
                    <li key={f}>
                      {f}: <del>{showValue(from)}</del> → <ins>{showValue(to)}</ins>
                    </li>
                  ))}
                </ul>
              )}
              {d.record && !d.fields && <div className="small">{showRecord(d.record)}</div>}
            </li>
          ))}
        </ul>
      )}
      {(j.state_mismatches.length > 0 || conversation.warnings.length > 0) && (
        <details className="small">
          <summary>{t('conv.engineNotes')}</summary>
          <ul>
            {[...j.state_mismatches, ...conversation.warnings].map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </details>
      )}
      <details className="small">
        <summary>{t('conv.finalState')}</summary>
        <JsonView value={conversation.final_state} openDepth={1} />
      </details>
    </section>
  );
}
