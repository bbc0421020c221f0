// The dialogue as chat bubbles: customer left, agent right, tool turns collapsed, system turns
// centred. Agent turns can be selected (click or j/k) and flagged. All text renders as text.
import { useEffect, useRef } from 'react';
import { TURN_FLAGS, type TurnFlag, type Dialogue } from '../../../lib/contract.ts';
import { Kbd } from '../../../components/kbd.tsx';
import { PlainText } from '../../../components/plain-text.tsx';
import { localTime } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import type { TurnFlagKind } from '../utils/shortcuts.ts';

/** Flags that praise a turn: shown in green, not as a fault. */
const POSITIVE_FLAGS: ReadonlySet<TurnFlagKind> = new Set(['good_example']);

export function Transcript({
  dialogue,
  cursor,
  flags,
  flagMenuOpen,
  onSelectTurn,
  onToggleFlag,
}: {
  dialogue: Dialogue;
  cursor: number | null;
  flags: readonly TurnFlag[];
  flagMenuOpen: boolean;
  onSelectTurn: (seq: number) => void;
  onToggleFlag: (seq: number, flag: TurnFlagKind) => void;
}) {
  const { t } = useI18n();
  const cursorRef = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    cursorRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [cursor]);

  return (
    <ol className="transcript" aria-label={t('dialogue.transcript')}>
      {dialogue.turns.map((turn, seq) => {
        if (turn.role === 'tool') {
          return (
            <li key={seq} className="turn turn-tool">
              <details>
                <summary>
                  {t('dialogue.tool')} {turn.name && <code>{turn.name}</code>} <span className="muted">{localTime(turn.at)}</span>
                </summary>
                <pre className="tool-text">{turn.text}</pre>
              </details>
            </li>
          );
        }
        if (turn.role === 'system') {
          return (
            <li key={seq} className="turn turn-system">
              <span className="muted">{t('dialogue.system')}</span> <PlainText text={turn.text} />
            </li>
          );
        }
        const isAgent = turn.role === 'agent';
        const turnFlags = flags.filter((f) => f.seq === seq);
        const selected = isAgent && cursor === seq;
        return (
          <li key={seq} className={`turn ${isAgent ? 'turn-agent' : 'turn-customer'}`}>
            <div
              ref={selected ? cursorRef : undefined}
              className={`bubble ${selected ? 'bubble-selected' : ''}`}
              data-seq={seq}
              onClick={isAgent ? () => onSelectTurn(seq) : undefined}
            >
              <div className="bubble-meta">
                <span>{isAgent ? t('dialogue.agent') : t('dialogue.customer')}</span>
                {isAgent && turn.agent_kind && <span className={`badge badge-${turn.agent_kind}`}>{t(`agentKind.${turn.agent_kind}`)}</span>}
                <span className="muted">{localTime(turn.at)}</span>
              </div>
              <PlainText text={turn.text} />
              {turnFlags.length > 0 && (
                <div className="chips">
                  {turnFlags.map((f) => (
                    <button
                      key={f.flag}
                      type="button"
                      className={`chip chip-flag ${POSITIVE_FLAGS.has(f.flag) ? 'chip-flag-good' : ''}`}
                      title={t('dialogue.removeFlag')}
                      onClick={(event) => {
                        event.stopPropagation();
                        onToggleFlag(seq, f.flag);
                      }}
                    >
                      {POSITIVE_FLAGS.has(f.flag) ? '★' : '⚑'} {t(`flag.${f.flag}`)}
                    </button>
                  ))}
                </div>
              )}
              {selected && (
                <div className={`flag-menu ${flagMenuOpen ? 'flag-menu-open' : ''}`} role="group" aria-label={t('dialogue.flagTurn')}>
                  {flagMenuOpen && <span className="muted">{t('dialogue.pickFlag')}</span>}
                  {TURN_FLAGS.map((flag, i) => (
                    <button
                      key={flag}
                      type="button"
                      className="chip"
                      aria-pressed={turnFlags.some((f) => f.flag === flag)}
                      onClick={(event) => {
                        event.stopPropagation();
                        onToggleFlag(seq, flag);
                      }}
                    >
                      {flagMenuOpen && <Kbd keys={String(i + 1)} />} {t(`flag.${flag}`)}
                    </button>
                  ))}
                </div>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
