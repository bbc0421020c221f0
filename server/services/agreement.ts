// Inter-reviewer agreement over submitted labels: Krippendorff's alpha per field, Cohen's kappa per
// reviewer pair, and per reviewer how often someone else disagreed with them. Pure.
import type { AgreementReport } from '../domain/api.ts';
import { AGREEMENT_FIELDS, LabelFields, ORDINAL_SCALES, type AgreementField, type GoldLabel, type Label } from '../domain/label.ts';
import { cohenKappa } from '../metrics/cohen-kappa.ts';
import { krippendorffAlphaFromRatings } from '../metrics/krippendorff-alpha.ts';

const FIELDS = Object.keys(AGREEMENT_FIELDS) as AgreementField[];
const finite = (x: number | undefined | null) => (x === undefined || x === null || Number.isNaN(x) ? null : x);

/** The agreement fields on which these labels (of one dialogue) do not all agree. */
export function disagreeingFields(labels: readonly Label[]): AgreementField[] {
  return FIELDS.filter((field) => {
    const values = new Set(labels.map((l) => l[field]).filter((v) => v !== null).map(String));
    return values.size > 1;
  });
}

const LABEL_FIELD_KEYS = Object.keys(LabelFields.shape) as (keyof LabelFields)[];

/**
 * The gold label of a dialogue: the adjudicator's decision when there is one; else, once `overlap`
 * reviewers have submitted and agree on every agreement field, their label (the first reviewer's
 * free-text fields); else none — the dialogue waits for more labels or for adjudication.
 */
export function decideGold(labels: readonly Label[], overlap: number, adjudicated?: GoldLabel): GoldLabel | null {
  if (adjudicated) return adjudicated;
  const submitted = labels.filter((l) => l.status === 'submitted');
  if (submitted.length === 0 || submitted.length < overlap || disagreeingFields(submitted).length > 0) return null;
  const first = [...submitted].sort((a, b) => a.reviewer.localeCompare(b.reviewer))[0]!;
  // The label fields of a Label (already parsed): picked, not parsed again (a build decides one per dialogue).
  const fields = {} as Record<keyof LabelFields, unknown>;
  for (const key of LABEL_FIELD_KEYS) fields[key] = first[key];
  return {
    ...(fields as LabelFields),
    dialogue_id: first.dialogue_id,
    decided_by: submitted.map((l) => l.reviewer).sort().join(','),
    source: submitted.length === 1 ? 'single' : 'consensus',
    decided_at: submitted.map((l) => l.updated_at).sort().at(-1)!,
    schema_version: first.schema_version,
  };
}

export function computeAgreement(labels: readonly Label[]): AgreementReport {
  const submitted = labels.filter((l) => l.status === 'submitted');
  const byDialogue = new Map<string, Label[]>();
  for (const l of submitted) byDialogue.set(l.dialogue_id, [...(byDialogue.get(l.dialogue_id) ?? []), l]);
  const reviewers = [...new Set(submitted.map((l) => l.reviewer))].sort();

  const fields = FIELDS.map((field) => {
    const level = AGREEMENT_FIELDS[field];
    const scale = level === 'ordinal' ? ORDINAL_SCALES[field as keyof typeof ORDINAL_SCALES] : undefined;
    const alpha = krippendorffAlphaFromRatings(
      submitted.map((l) => ({ unit: l.dialogue_id, rater: l.reviewer, value: l[field] as string | number | null })),
      { metric: level, levels: scale },
    );
    const pairs = [];
    for (let i = 0; i < reviewers.length; i++) {
      for (let j = i + 1; j < reviewers.length; j++) {
        const a: (string | number)[] = [];
        const b: (string | number)[] = [];
        for (const group of byDialogue.values()) {
          const la = group.find((l) => l.reviewer === reviewers[i])?.[field];
          const lb = group.find((l) => l.reviewer === reviewers[j])?.[field];
          if (la != null && lb != null && !Array.isArray(la) && !Array.isArray(lb)) {
            a.push(la as string | number);
            b.push(lb as string | number);
          }
        }
        if (a.length === 0) continue;
        const kappa = cohenKappa(a, b, scale ? { weights: 'linear', labels: scale } : {});
        pairs.push({ a: reviewers[i]!, b: reviewers[j]!, n: a.length, kappa: finite(kappa?.kappa) });
      }
    }
    return { field, level, alpha: finite(alpha?.alpha), units: alpha?.units ?? 0, pairs };
  });

  let disagreements = 0;
  const coLabeled = new Map<string, { shared: number; disputed: number }>();
  for (const group of byDialogue.values()) {
    if (group.length < 2) continue;
    const disputed = disagreeingFields(group).length > 0;
    if (disputed) disagreements++;
    for (const l of group) {
      const entry = coLabeled.get(l.reviewer) ?? { shared: 0, disputed: 0 };
      entry.shared++;
      if (disputed) entry.disputed++;
      coLabeled.set(l.reviewer, entry);
    }
  }
  return {
    fields,
    reviewers: reviewers.map((reviewer) => {
      const entry = coLabeled.get(reviewer);
      return {
        reviewer,
        labeled: submitted.filter((l) => l.reviewer === reviewer).length,
        disagreement_rate: entry && entry.shared > 0 ? entry.disputed / entry.shared : null,
      };
    }),
    disagreements,
  };
}
