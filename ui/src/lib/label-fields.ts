// Label fields as plain data: the empty label, the fields of a saved label, and what differs.
import { LabelFields } from './contract.ts';

export type LabelFieldKey = keyof LabelFields;

export const LABEL_FIELD_KEYS = Object.keys(LabelFields.shape) as LabelFieldKey[];

export function emptyFields(): LabelFields {
  return LabelFields.parse({});
}

/** The label fields of a Label or GoldLabel (extra keys dropped). */
export function fieldsOf(label: Partial<LabelFields> | null | undefined): LabelFields {
  if (!label) return emptyFields();
  const picked: Record<string, unknown> = {};
  for (const key of LABEL_FIELD_KEYS) if (label[key] !== undefined) picked[key] = label[key];
  return LabelFields.parse(picked);
}

const canonical = (value: unknown): string =>
  JSON.stringify(Array.isArray(value) ? [...value].map((v) => JSON.stringify(v)).sort() : value ?? null);

/** Keys whose values are not all equal across `labels` (arrays compared as sets). */
export function differingFields(labels: readonly LabelFields[], keys: readonly LabelFieldKey[] = LABEL_FIELD_KEYS): LabelFieldKey[] {
  if (labels.length < 2) return [];
  return keys.filter((key) => new Set(labels.map((label) => canonical(label[key]))).size > 1);
}

/** Non-empty trimmed lines: the required-facts textarea, one fact per line. */
export function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
