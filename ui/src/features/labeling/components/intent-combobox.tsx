// Searchable intent picker, grouped by domain (retail, telecom, banking, general), most used first:
// `/` focuses it, typing filters (by key, its words or a display name in either language), arrows move,
// Enter picks (or adds a new key, in any language: screen_repair, 话费查询), Esc leaves. Picking returns focus to the page so letters are shortcuts again.
import { useId, useMemo, useState, type KeyboardEvent, type RefObject } from 'react';
import { Kbd } from '../../../components/kbd.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { groupIntentOptions } from '../utils/intent-domains.ts';
import { intentDisplayName, intentOptions, type IntentEntry, type IntentOption } from '../utils/intent-search.ts';

/** Enough for every intent of a mixed store: all are reachable by scrolling, not only the top ones. */
const MAX_OPTIONS = 500;

export function IntentCombobox({
  value,
  intents,
  inputRef,
  onPick,
  onAdd,
}: {
  value: string | null;
  intents: readonly IntentEntry[];
  inputRef: RefObject<HTMLInputElement | null>;
  onPick: (key: string | null) => void;
  onAdd: (key: string) => Promise<void>;
}) {
  const { t, locale } = useI18n();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [addError, setAddError] = useState<string | null>(null);
  const groups = useMemo(() => groupIntentOptions(intentOptions(intents, query, MAX_OPTIONS, locale)), [intents, query, locale]);
  // Arrow keys and Enter walk the options in the order they are shown: group by group.
  const options = useMemo(() => groups.flatMap((g) => g.options), [groups]);
  const current = value === null ? undefined : intents.find((i) => i.key === value);
  const shown = value === null ? '' : current ? (intentDisplayName(current, locale) ?? value) : value;

  // Picks at once and leaves the field, so the next key press is a shortcut again; a new key is
  // added in the background (saving the label adds it too).
  const pick = (option: IntentOption | undefined) => {
    if (!option) return;
    onPick(option.key);
    setQuery('');
    setOpen(false);
    inputRef.current?.blur();
    if (option.kind === 'new') {
      setAddError(null);
      onAdd(option.key).catch((error: unknown) => setAddError(errorMessage(error)));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(options.length - 1, i + 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      pick(options[Math.min(active, options.length - 1)]);
    } else if (event.key === 'Escape') {
      setQuery('');
      setOpen(false);
    }
  };

  const renderOption = (option: IntentOption, i: number) => (
    <li
      key={`${option.kind}-${option.key}`}
      id={`${listId}-${i}`}
      role="option"
      aria-selected={i === active}
      className={`combobox-option ${i === active ? 'combobox-option-active' : ''}`}
      onMouseDown={(event) => {
        event.preventDefault();
        pick(option);
      }}
      onMouseEnter={() => setActive(i)}
    >
      {option.kind === 'new' ? (
        <span>
          + {t('label.addIntent')} <code>{option.key}</code>
        </span>
      ) : (
        <>
          {option.name !== undefined ? (
            <>
              <span className="intent-name">{option.name}</span> <code className="muted small">{option.key}</code>
            </>
          ) : (
            <code>{option.key}</code>
          )}{' '}
          <span className="muted small">{option.count}</span>
        </>
      )}
    </li>
  );

  const activeOption = open ? options[active] : undefined;
  return (
    <div className="combobox">
      <div className="combobox-row">
        <input
          ref={inputRef}
          role="combobox"
          aria-label={t('field.intent')}
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeOption ? `${listId}-${active}` : undefined}
          className="combobox-input"
          placeholder={shown || t('label.intentPlaceholder')}
          title={value ?? undefined}
          value={open ? query : shown}
          onFocus={() => {
            setOpen(true);
            setQuery('');
            setActive(0);
          }}
          onBlur={() => setOpen(false)}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          spellCheck={false}
          autoComplete="off"
        />
        {value && (
          <button type="button" className="btn btn-small" onClick={() => onPick(null)} aria-label={t('label.clearIntent')}>
            ✕
          </button>
        )}
        <Kbd keys="/" />
      </div>
      {addError && <div className="small save-state-error">{addError}</div>}
      {open && (
        <ul id={listId} role="listbox" className="combobox-list">
          {options.length === 0 && <li className="muted small">{t('label.noIntents')}</li>}
          {groups.map((group) => {
            const first = options.indexOf(group.options[0]!);
            return [
              group.domain && (
                <li key={`group-${group.domain}`} role="presentation" className="combobox-group" data-domain={group.domain}>
                  {t(`intentDomain.${group.domain}`)}
                </li>
              ),
              ...group.options.map((option, j) => renderOption(option, first + j)),
            ];
          })}
        </ul>
      )}
    </div>
  );
}
