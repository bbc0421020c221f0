// Reviewers' labels on dialogues (versioned label schema), API keys and roles. No I/O.
import { z } from 'zod';
import { DialogueId } from './dialogue.ts';

/** Bump when label fields change meaning; stored with every label and carried into suites and sets. */
export const LABEL_SCHEMA_VERSION = 2;
// v2: the reviewer's csat estimate (1–5); intents may be any language's letters.

export const FCR_VALUES = ['yes', 'no', 'unclear'] as const;
export const FcrValue = z.enum(FCR_VALUES);
export type FcrValue = z.infer<typeof FcrValue>;

export const ACCURACY_VALUES = ['correct', 'partial', 'incorrect'] as const;
export const AccuracyValue = z.enum(ACCURACY_VALUES);
export type AccuracyValue = z.infer<typeof AccuracyValue>;

export const YES_NO = ['yes', 'no'] as const;
export const YesNo = z.enum(YES_NO);
export type YesNo = z.infer<typeof YesNo>;

export const TONE_TAGS = ['empathetic', 'polite', 'professional', 'robotic', 'curt', 'rude', 'blaming'] as const;
export const ToneTag = z.enum(TONE_TAGS);
export type ToneTag = z.infer<typeof ToneTag>;

export const TURN_FLAGS = ['incorrect', 'rude', 'policy_violation', 'pii_leak', 'should_escalate', 'good_example'] as const;
export const TurnFlagKind = z.enum(TURN_FLAGS);

/**
 * An intent is a key in the users' own language: letters (any script, with their combining marks),
 * digits and underscores, starting with a letter, no spaces or punctuation; NFKC-normalised first, so
 * full-width ａｂｃ and half-width abc are the same key (话费查询, screen_repair). Keys that came with
 * a data set keep their spelling (DSTC11's CheckCreditCardBalance); a key new to the taxonomy has no
 * capitals (NewIntentKey), so case never splits one intent in two.
 */
const IntentKeyText = z
  .string()
  .min(1)
  .max(60)
  .regex(/^\p{L}[\p{L}\p{M}\p{N}_]*$/u, 'an intent is a key of letters, digits and underscores, like screen_repair or 话费查询');
const normaliseKey = { decode: (s: string) => s.normalize('NFKC').trim(), encode: (s: string) => s };
// A codec, not a transform: responses that carry a key are encoded through the same schema.
export const IntentKey = z.codec(z.string(), IntentKeyText, normaliseKey);
/** A key that is not in the taxonomy yet (added by a reviewer, a label or a named topic). */
export const NewIntentKey = z.codec(
  z.string(),
  IntentKeyText.refine((s) => !/\p{Lu}|\p{Lt}/u.test(s), 'a new intent key has no capital letters (screen_repair, not Screen_Repair)'),
  normaliseKey,
);

/** Display names of an intent per UI language (optional; the key is shown without them). */
export const IntentNames = z.object({
  zh: z.string().trim().min(1).max(80).optional(),
  en: z.string().trim().min(1).max(80).optional(),
});
export type IntentNames = z.infer<typeof IntentNames>;

export const TurnFlag = z.object({
  seq: z.number().int().min(0),
  flag: TurnFlagKind,
  note: z.string().max(500).optional(),
});
export type TurnFlag = z.infer<typeof TurnFlag>;

/** What a reviewer says about one dialogue. Every field may stay empty in a draft. */
export const LabelFields = z.object({
  intent: IntentKey.nullable().default(null),
  fcr: FcrValue.nullable().default(null),
  accuracy: AccuracyValue.nullable().default(null),
  tone: z.number().int().min(1).max(5).nullable().default(null),
  /** The reviewer's estimate of the customer's satisfaction, 1–5 (schema v2). */
  csat: z.number().int().min(1).max(5).nullable().default(null),
  tone_tags: z.array(ToneTag).max(TONE_TAGS.length).default([]),
  escalation_needed: YesNo.nullable().default(null),
  escalated: YesNo.nullable().default(null),
  reference_answer: z.string().max(10_000).default(''),
  required_facts: z.array(z.string().min(1).max(300)).max(30).default([]),
  notes: z.string().max(5_000).default(''),
  turn_flags: z.array(TurnFlag).max(200).default([]),
});
export type LabelFields = z.infer<typeof LabelFields>;
export type LabelFieldsInput = z.input<typeof LabelFields>;

/** The fields agreement is computed on, with the level of measurement of each. */
export const AGREEMENT_FIELDS = {
  intent: 'nominal',
  fcr: 'nominal',
  accuracy: 'ordinal',
  tone: 'ordinal',
  csat: 'ordinal',
  escalation_needed: 'nominal',
  escalated: 'nominal',
} as const satisfies Partial<Record<keyof LabelFields, 'nominal' | 'ordinal'>>;
export const AgreementField = z.enum(Object.keys(AGREEMENT_FIELDS) as [keyof typeof AGREEMENT_FIELDS, ...(keyof typeof AGREEMENT_FIELDS)[]]);
export type AgreementField = z.infer<typeof AgreementField>;

/** Ordered scales for the ordinal fields (worst first). */
export const ORDINAL_SCALES: Record<'accuracy' | 'tone' | 'csat', readonly (string | number)[]> = {
  accuracy: ['incorrect', 'partial', 'correct'],
  tone: [1, 2, 3, 4, 5],
  csat: [1, 2, 3, 4, 5],
};

export const LABEL_STATUSES = ['draft', 'submitted'] as const;
export const LabelStatus = z.enum(LABEL_STATUSES);

export const Label = LabelFields.extend({
  dialogue_id: DialogueId,
  reviewer: z.string(),
  status: LabelStatus,
  /** Optimistic concurrency: a save must name the version it read. */
  version: z.number().int().min(1),
  schema_version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Label = z.infer<typeof Label>;

/** The decided label of a dialogue: a single reviewer's, or the adjudicator's where reviewers disagreed. */
export const GoldLabel = LabelFields.extend({
  dialogue_id: DialogueId,
  decided_by: z.string(),
  source: z.enum(['single', 'consensus', 'adjudication', 'import']),
  decided_at: z.string(),
  schema_version: z.number().int(),
});
export type GoldLabel = z.infer<typeof GoldLabel>;

/** One line of `firstcall labels import|export`. */
export const LabelLine = LabelFields.extend({
  dialogue_id: DialogueId,
  reviewer: z.string().min(1).max(100),
  status: LabelStatus.default('submitted'),
  schema_version: z.number().int().default(LABEL_SCHEMA_VERSION),
});
export type LabelLine = z.infer<typeof LabelLine>;

/**
 * A decided label as `firstcall labels export --gold` writes it (`decided_by` instead of `reviewer`):
 * `labels import` stores it as gold (source `import`), so a store's gold labels travel to another
 * store, e.g. a CI job's, and rebuild the same suite.
 */
export const GoldLabelLine = LabelFields.extend({
  dialogue_id: DialogueId,
  decided_by: z.string().min(1).max(100),
  source: GoldLabel.shape.source.optional(),
  decided_at: z.string().optional(),
  schema_version: z.number().int().default(LABEL_SCHEMA_VERSION),
});
export type GoldLabelLine = z.infer<typeof GoldLabelLine>;

export const ROLES = ['reviewer', 'engineer', 'admin', 'bot'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const ApiKeyInfo = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  created_at: z.string(),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

export const FCR_ESTIMATES = ['yes', 'no', 'unclear'] as const;
/** FCR estimated from the logs (DESIGN.md): a suggestion with its reason, never a label. */
export const FcrEstimate = z.object({
  value: z.enum(FCR_ESTIMATES),
  reason: z.string(),
  repeat_dialogue_id: z.string().nullable(),
  window_days: z.number(),
});
export type FcrEstimate = z.infer<typeof FcrEstimate>;
