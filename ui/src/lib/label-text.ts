// A label field's value as text in the UI language (enums translated, lists joined).
import type { LabelFields } from './contract.ts';
import type { MessageKey, MessageVars } from './i18n.ts';
import type { LabelFieldKey } from './label-fields.ts';

type Translate = (key: MessageKey, vars?: MessageVars) => string;

export function describeValue<K extends LabelFieldKey>(key: K, value: LabelFields[K], t: Translate): string {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return '—';
  switch (key) {
    case 'fcr':
      return t(`fcr.${value as NonNullable<LabelFields['fcr']>}`);
    case 'accuracy':
      return t(`accuracy.${value as NonNullable<LabelFields['accuracy']>}`);
    case 'escalation_needed':
    case 'escalated':
      return t(`yesNo.${value as 'yes' | 'no'}`);
    case 'tone_tags':
      return (value as LabelFields['tone_tags']).map((tag) => t(`toneTag.${tag}`)).join(', ');
    case 'turn_flags':
      return (value as LabelFields['turn_flags']).map((f) => `#${f.seq} ${t(`flag.${f.flag}`)}`).join(', ');
    case 'required_facts':
      return (value as string[]).join('\n');
    default:
      return String(value);
  }
}
