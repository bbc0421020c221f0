// The editable "decision" cell of one label field.
import { ACCURACY_VALUES, FCR_VALUES, TONE_TAGS, YES_NO, type LabelFields } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { linesOf, type LabelFieldKey } from '../../../lib/label-fields.ts';
import { describeValue } from '../../../lib/label-text.ts';

export function DecisionCell({
  field,
  decision,
  intentChoices,
  onChange,
}: {
  field: LabelFieldKey;
  decision: LabelFields;
  intentChoices: readonly string[];
  onChange: (patch: Partial<LabelFields>) => void;
}) {
  const { t } = useI18n();
  const label = `${t('adjudication.decision')}: ${t(`field.${field}`)}`;
  const select = <V extends string>(values: readonly V[], text: (v: V) => string, value: V | null, set: (v: V | null) => void) => (
    <select aria-label={label} value={value ?? ''} onChange={(e) => set(e.target.value === '' ? null : (e.target.value as V))}>
      <option value="">—</option>
      {values.map((v) => (
        <option key={v} value={v}>
          {text(v)}
        </option>
      ))}
    </select>
  );
  switch (field) {
    case 'intent':
      return (
        <>
          <input
            aria-label={label}
            list="adjudication-intents"
            value={decision.intent ?? ''}
            onChange={(e) => onChange({ intent: e.target.value.trim() === '' ? null : e.target.value.trim() })}
          />
          <datalist id="adjudication-intents">
            {intentChoices.map((key) => (
              <option key={key} value={key} />
            ))}
          </datalist>
        </>
      );
    case 'fcr':
      return select(FCR_VALUES, (v) => t(`fcr.${v}`), decision.fcr, (fcr) => onChange({ fcr }));
    case 'accuracy':
      return select(ACCURACY_VALUES, (v) => t(`accuracy.${v}`), decision.accuracy, (accuracy) => onChange({ accuracy }));
    case 'escalation_needed':
      return select(YES_NO, (v) => t(`yesNo.${v}`), decision.escalation_needed, (escalation_needed) => onChange({ escalation_needed }));
    case 'escalated':
      return select(YES_NO, (v) => t(`yesNo.${v}`), decision.escalated, (escalated) => onChange({ escalated }));
    case 'tone':
      return select(['1', '2', '3', '4', '5'] as const, (v) => v, decision.tone === null ? null : (String(decision.tone) as '1'), (v) => onChange({ tone: v === null ? null : Number(v) }));
    case 'tone_tags':
      return (
        <div className="chips">
          {TONE_TAGS.map((tag) => {
            const on = decision.tone_tags.includes(tag);
            return (
              <button
                key={tag}
                type="button"
                className="chip"
                aria-pressed={on}
                onClick={() => onChange({ tone_tags: on ? decision.tone_tags.filter((x) => x !== tag) : [...decision.tone_tags, tag] })}
              >
                {t(`toneTag.${tag}`)}
              </button>
            );
          })}
        </div>
      );
    case 'reference_answer':
    case 'notes':
      return <textarea aria-label={label} rows={3} value={decision[field]} onChange={(e) => onChange({ [field]: e.target.value })} />;
    case 'required_facts':
      return (
        <textarea
          aria-label={label}
          rows={3}
          defaultValue={decision.required_facts.join('\n')}
          key={decision.required_facts.join('\n')}
          onBlur={(e) => onChange({ required_facts: linesOf(e.target.value) })}
        />
      );
    case 'turn_flags':
      return <span className="plain-text">{describeValue('turn_flags', decision.turn_flags, t)}</span>;
  }
}
