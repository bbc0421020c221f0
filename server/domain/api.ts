// The HTTP contract of the labeling API (queue, dialogues, labels, intents, agreement, adjudication,
// guidelines, settings, who am I) and the error body every route answers with: request and response
// schemas shared by server and UI. The UI parses every response with these, so a server change that
// breaks the UI fails loudly.
import { z } from 'zod';
import { Customer, Dialogue, Language, Purchase } from './dialogue.ts';
import { AgreementField, FcrEstimate, GoldLabel, IntentNames, Label, LabelFields, LabelStatus, Role } from './label.ts';

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Me = z.object({ name: z.string(), role: Role });
export type Me = z.infer<typeof Me>;

export const WarrantyStatus = z.object({
  status: z.enum(['in_warranty', 'expired']),
  expires_on: z.string(),
  /** Days from the dialogue's date to the end of warranty (negative when expired). */
  days_left: z.number().int(),
});
export const PurchaseView = Purchase.extend({ warranty: WarrantyStatus });
export const CustomerView = Customer.omit({ purchases: true }).extend({ purchases: z.array(PurchaseView) });
export type CustomerView = z.infer<typeof CustomerView>;

export const QueueFilters = z.object({
  language: Language.optional(),
  channel: z.string().max(40).optional(),
  intent: z.string().max(60).optional(),
  source: z.string().max(40).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** Only dialogues whose FCR estimate from logs is `unclear`. */
  uncertain: z.stringbool().optional(),
});
export type QueueFilters = z.infer<typeof QueueFilters>;

/** Why the FCR estimate says what it says, as a code the UI translates; `reason` keeps the English text. */
export const FCR_REASON_CODES = [
  'escalated',
  'not_resolved',
  'repeat_contact',
  'outcome_not_logged',
  'no_customer_id',
  'no_intent',
  'no_timestamp',
  'window_not_over',
  'resolved',
  'not_estimated',
  'other',
] as const;
export const FcrReasonCode = z.enum(FCR_REASON_CODES);
export type FcrReasonCode = z.infer<typeof FcrReasonCode>;
/** The estimate with its reason as a code and the values the sentence names (intent, days, dialogue id, channel, window). */
export const FcrEstimateView = FcrEstimate.extend({
  reason_code: FcrReasonCode,
  reason_params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type FcrEstimateView = z.infer<typeof FcrEstimateView>;

export const DialogueView = z.object({
  dialogue: Dialogue,
  customer: CustomerView.nullable(),
  fcr_estimate: FcrEstimateView,
  /** This reviewer's label (draft or submitted), to resume or edit. */
  my_label: Label.nullable(),
  /** Everyone's submitted labels: for engineers and admins; reviewers see only their own. */
  labels: z.array(Label),
  gold: GoldLabel.nullable(),
});
export type DialogueView = z.infer<typeof DialogueView>;

export const QueueProgress = z.object({
  /** Labels this reviewer has submitted. */
  done: z.number().int(),
  /** Dialogues still waiting for this reviewer under the current filters. */
  remaining: z.number().int(),
});

export const QueueNext = z.object({ item: DialogueView.nullable(), progress: QueueProgress });
export type QueueNext = z.infer<typeof QueueNext>;

export const SkipBody = z.object({ dialogue_id: z.string().min(1) });

export const SaveLabelBody = z.object({
  fields: LabelFields,
  status: LabelStatus,
  /** The version read; null to create. A stale version gets 409. */
  version: z.number().int().min(1).nullable(),
});
export type SaveLabelBody = z.input<typeof SaveLabelBody>;

export const LabelList = z.object({ labels: z.array(Label), total: z.number().int() });
export type LabelList = z.infer<typeof LabelList>;

/** GET /api/labels: reviewers see their own labels only, whatever `reviewer` says. */
export const LabelListQuery = z.object({
  dialogue_id: z.string().optional(),
  reviewer: z.string().optional(),
  status: LabelStatus.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type LabelListQuery = z.infer<typeof LabelListQuery>;

export const DialogueIdParams = z.object({ id: z.string() });

export const Intent = z.object({ key: z.string(), count: z.number().int(), names: IntentNames.optional() });
export const IntentList = z.object({ intents: z.array(Intent) });
export type IntentList = z.infer<typeof IntentList>;
export const AddIntentBody = z.object({ key: z.string(), names: IntentNames.optional() });
export const AddedIntent = z.object({ key: z.string() });

export const Health = z.object({ ok: z.boolean() });

export const Guidelines = z.object({ text: z.string(), updated_at: z.string().nullable(), updated_by: z.string().nullable() });
export type Guidelines = z.infer<typeof Guidelines>;
export const GuidelinesBody = z.object({ text: z.string().max(100_000) });

export const PairAgreement = z.object({ a: z.string(), b: z.string(), n: z.number().int(), kappa: z.number().nullable() });
export const FieldAgreement = z.object({
  field: AgreementField,
  level: z.enum(['nominal', 'ordinal']),
  alpha: z.number().nullable(),
  units: z.number().int(),
  pairs: z.array(PairAgreement),
});
export const ReviewerAgreement = z.object({
  reviewer: z.string(),
  labeled: z.number().int(),
  /** Share of this reviewer's co-labeled dialogues where another reviewer disagreed on some field. */
  disagreement_rate: z.number().nullable(),
});
export const AgreementReport = z.object({
  fields: z.array(FieldAgreement),
  reviewers: z.array(ReviewerAgreement),
  disagreements: z.number().int(),
});
export type AgreementReport = z.infer<typeof AgreementReport>;

export const AdjudicationItem = z.object({
  dialogue_id: z.string(),
  fields: z.array(AgreementField),
  labels: z.array(Label),
  gold: GoldLabel.nullable(),
});
export const AdjudicationList = z.object({ items: z.array(AdjudicationItem) });
export type AdjudicationList = z.infer<typeof AdjudicationList>;
export const AdjudicateBody = z.object({ fields: LabelFields });
