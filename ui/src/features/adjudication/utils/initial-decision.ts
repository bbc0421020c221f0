// Where an adjudication starts: the gold label if there is one, else what the reviewers agree on,
// with the disputed agreement fields left empty so the adjudicator has to choose.
import { AGREEMENT_FIELDS, type LabelFields } from '../../../lib/contract.ts';
import { differingFields, emptyFields, fieldsOf, type LabelFieldKey } from '../../../lib/label-fields.ts';

export function initialDecision(labels: readonly LabelFields[], gold: LabelFields | null): LabelFields {
  if (gold) return fieldsOf(gold);
  if (labels.length === 0) return emptyFields();
  const start = { ...labels[0]! };
  for (const key of differingFields(labels)) {
    if (key in AGREEMENT_FIELDS) (start as Record<LabelFieldKey, unknown>)[key] = null;
  }
  return start;
}

/** Disputed agreement fields still without a decision. */
export function undecided(decision: LabelFields, disputed: readonly LabelFieldKey[]): LabelFieldKey[] {
  return disputed.filter((key) => key in AGREEMENT_FIELDS && decision[key] === null);
}
