// After a 409: the label changed elsewhere. The saved label is loaded; the reviewer's own edits
// are listed here to re-apply (or drop).
import type { LabelFields } from '../../../lib/contract.ts';
import type { LabelFieldKey } from '../../../lib/label-fields.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { describeValue } from '../../../lib/label-text.ts';

export function ConflictBanner({
  mine,
  theirs,
  changed,
  onReapply,
  onDismiss,
}: {
  mine: LabelFields;
  theirs: LabelFields;
  changed: LabelFieldKey[];
  onReapply: () => void;
  onDismiss: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="notice notice-warn conflict" role="alert">
      <strong>{t('conflict.title')}</strong>
      <p className="small">{t('conflict.body')}</p>
      {changed.length > 0 && (
        <table className="conflict-table">
          <thead>
            <tr>
              <th>{t('conflict.field')}</th>
              <th>{t('conflict.mine')}</th>
              <th>{t('conflict.saved')}</th>
            </tr>
          </thead>
          <tbody>
            {changed.map((key) => (
              <tr key={key}>
                <td>{t(`field.${key}`)}</td>
                <td className="plain-text">{describeValue(key, mine[key], t)}</td>
                <td className="plain-text">{describeValue(key, theirs[key], t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" className="btn btn-primary btn-small" onClick={onReapply}>
          {t('conflict.reapply')}
        </button>
        <button type="button" className="btn btn-small" onClick={onDismiss}>
          {t('conflict.keepSaved')}
        </button>
      </div>
    </div>
  );
}
