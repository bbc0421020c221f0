import { Kbd } from '../../../components/kbd.tsx';
import { Modal } from '../../../components/modal.tsx';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { SHORTCUT_HELP } from '../utils/shortcuts.ts';

const GROUPS = ['label', 'turns', 'queue', 'general'] as const;

export function CheatSheet({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal title={t('keys.title')} onClose={onClose} closeLabel={t('common.close')}>
      <p className="muted small">{t('keys.intro')}</p>
      <div className="cheat-grid">
        {GROUPS.map((group) => (
          <section key={group}>
            <h3>{t(`keys.group.${group}`)}</h3>
            <table className="cheat-table">
              <tbody>
                {SHORTCUT_HELP.filter((row) => row.group === group).map((row) => (
                  <tr key={row.text}>
                    <td>
                      <Kbd keys={row.keys} />
                    </td>
                    <td>{t(row.text)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </Modal>
  );
}
