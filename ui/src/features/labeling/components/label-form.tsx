// The label form. Every control shows its key; the keyboard handler lives in the screen.
import type { RefObject } from 'react';
import { ACCURACY_VALUES, FCR_VALUES, TONE_TAGS, YES_NO, type LabelFields } from '../../../lib/contract.ts';
import { Kbd } from '../../../components/kbd.tsx';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { ACCURACY_KEYS, FCR_KEYS, TONE_TAG_KEYS } from '../utils/shortcuts.ts';
import { IntentCombobox } from './intent-combobox.tsx';
import type { IntentEntry } from '../utils/intent-search.ts';

const keyFor = <V extends string>(map: Record<string, V>, value: V) => Object.entries(map).find(([, v]) => v === value)?.[0] ?? '';

export interface LabelFormRefs {
  intent: RefObject<HTMLInputElement | null>;
  reference: RefObject<HTMLTextAreaElement | null>;
  facts: RefObject<HTMLTextAreaElement | null>;
  notes: RefObject<HTMLTextAreaElement | null>;
}

function Choice<V extends string | number>({
  label,
  hint,
  options,
  value,
  text,
  keyOf,
  onChange,
}: {
  label: string;
  hint?: string;
  options: readonly V[];
  value: V | null;
  text: (v: V) => string;
  keyOf: (v: V) => string;
  onChange: (v: V | null) => void;
}) {
  return (
    <div className="form-row" role="group" aria-label={label}>
      <span className="form-label">
        {label}
        {hint && <span className="muted small"> {hint}</span>}
      </span>
      <div className="segmented">
        {options.map((option) => (
          <button key={option} type="button" className="seg" aria-pressed={value === option} onClick={() => onChange(value === option ? null : option)}>
            {text(option)} <Kbd keys={keyOf(option)} />
          </button>
        ))}
      </div>
    </div>
  );
}

export function LabelForm({
  fields,
  factsText,
  intents,
  refs,
  escalatedInLog,
  pendingToneTag,
  pendingCsat = false,
  onEdit,
  onFactsText,
  onAddIntent,
}: {
  fields: LabelFields;
  factsText: string;
  intents: readonly IntentEntry[];
  refs: LabelFormRefs;
  escalatedInLog: boolean | undefined;
  pendingToneTag: boolean;
  pendingCsat?: boolean;
  onEdit: (patch: Partial<LabelFields>) => void;
  onFactsText: (text: string) => void;
  onAddIntent: (key: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const yesNo = (v: 'yes' | 'no') => t(`yesNo.${v}`);
  return (
    <div className="label-form">
      <div className="form-row">
        <span className="form-label">{t('field.intent')}</span>
        <IntentCombobox value={fields.intent} intents={intents} inputRef={refs.intent} onPick={(intent) => onEdit({ intent })} onAdd={onAddIntent} />
      </div>
      <Choice
        label={t('field.fcr')}
        options={FCR_VALUES}
        value={fields.fcr}
        text={(v) => t(`fcr.${v}`)}
        keyOf={(v) => keyFor(FCR_KEYS, v)}
        onChange={(fcr) => onEdit({ fcr })}
      />
      <Choice
        label={t('field.accuracy')}
        options={ACCURACY_VALUES}
        value={fields.accuracy}
        text={(v) => t(`accuracy.${v}`)}
        keyOf={(v) => keyFor(ACCURACY_KEYS, v)}
        onChange={(accuracy) => onEdit({ accuracy })}
      />
      <Choice
        label={t('field.tone')}
        hint={t('label.toneHint')}
        options={[1, 2, 3, 4, 5] as const}
        value={fields.tone as 1 | 2 | 3 | 4 | 5 | null}
        text={(v) => String(v)}
        keyOf={(v) => String(v)}
        onChange={(tone) => onEdit({ tone })}
      />
      <Choice
        label={t('field.csat')}
        hint={pendingCsat ? t('label.pickCsat') : t('label.csatHint')}
        options={[1, 2, 3, 4, 5] as const}
        value={fields.csat as 1 | 2 | 3 | 4 | 5 | null}
        text={(v) => String(v)}
        keyOf={(v) => `v ${v}`}
        onChange={(csat) => onEdit({ csat })}
      />
      <div className="form-row" role="group" aria-label={t('field.tone_tags')}>
        <span className="form-label">
          {t('field.tone_tags')} <Kbd keys="t" />
          {pendingToneTag && <span className="pending-hint">{t('label.pickToneTag')}</span>}
        </span>
        <div className="chips">
          {TONE_TAGS.map((tag) => {
            const on = fields.tone_tags.includes(tag);
            return (
              <button
                key={tag}
                type="button"
                className="chip"
                aria-pressed={on}
                onClick={() => onEdit({ tone_tags: on ? fields.tone_tags.filter((x) => x !== tag) : [...fields.tone_tags, tag] })}
              >
                {pendingToneTag && <Kbd keys={keyFor(TONE_TAG_KEYS, tag)} />} {t(`toneTag.${tag}`)}
              </button>
            );
          })}
        </div>
      </div>
      <Choice
        label={t('field.escalation_needed')}
        options={YES_NO}
        value={fields.escalation_needed}
        text={yesNo}
        keyOf={() => 'e'}
        onChange={(escalation_needed) => onEdit({ escalation_needed })}
      />
      <Choice
        label={t('field.escalated')}
        hint={escalatedInLog === undefined ? undefined : t(escalatedInLog ? 'label.logSaysEscalated' : 'label.logSaysNotEscalated')}
        options={YES_NO}
        value={fields.escalated}
        text={yesNo}
        keyOf={() => 'x'}
        onChange={(escalated) => onEdit({ escalated })}
      />
      <TextArea label={t('field.reference_answer')} hotkey="r" refObj={refs.reference} value={fields.reference_answer} rows={3} onChange={(reference_answer) => onEdit({ reference_answer })} />
      <TextArea label={t('field.required_facts')} hint={t('label.factsHint')} hotkey="f" refObj={refs.facts} value={factsText} rows={2} onChange={onFactsText} />
      <TextArea label={t('field.notes')} hotkey="m" refObj={refs.notes} value={fields.notes} rows={2} onChange={(notes) => onEdit({ notes })} />
    </div>
  );
}

function TextArea({
  label,
  hint,
  hotkey,
  refObj,
  value,
  rows,
  onChange,
}: {
  label: string;
  hint?: string;
  hotkey: string;
  refObj: RefObject<HTMLTextAreaElement | null>;
  value: string;
  rows: number;
  onChange: (value: string) => void;
}) {
  return (
    <label className="form-row form-row-text">
      <span className="form-label">
        {label} <Kbd keys={hotkey} />
        {hint && <span className="muted small"> {hint}</span>}
      </span>
      <textarea ref={refObj} rows={rows} value={value} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}
