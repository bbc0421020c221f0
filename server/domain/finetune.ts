// Fine-tuning sets: the formats, why a dialogue was left out, the data card, and the HTTP contract
// of the sets list and file downloads, shared by server, CLI and UI. No I/O.
import { z } from 'zod';

export const FINETUNE_FORMATS = ['openai', 'openai-dpo', 'trl', 'trl-preference', 'sharegpt', 'alpaca'] as const;
export const FinetuneFormat = z.enum(FINETUNE_FORMATS);
export type FinetuneFormat = z.infer<typeof FinetuneFormat>;

export const EXCLUSION_REASONS = [
  'in_suite',
  'near_duplicate_of_suite',
  'no_customer_turn',
  'no_agent_reply',
  'incorrect_without_reference',
  'not_approved_without_reference',
  'unmaskable_bad_turn',
  'no_rejected_reply',
  'no_reference_answer',
] as const;
export const ExclusionReason = z.enum(EXCLUSION_REASONS);
export type ExclusionReason = z.infer<typeof ExclusionReason>;

export const Exclusion = z.object({ dialogue_id: z.string(), reason: ExclusionReason, detail: z.string().optional() });
export type Exclusion = z.infer<typeof Exclusion>;

export const TokenStats = z.object({ mean: z.number(), p50: z.number(), p95: z.number(), max: z.number(), total: z.number() });
export type TokenStats = z.infer<typeof TokenStats>;

const Counts = z.record(z.string(), z.number());

/** How a card's token counts were estimated when no tokenizer was used (the UI says it in its language). */
export const TOKEN_ESTIMATE_HEURISTIC = 'estimated: CJK characters + English words × 1.3';

/** The data card of a fine-tuning set: what went in, what was left out and why. */
export const FinetuneCard = z.object({
  name: z.string(),
  version: z.number().int(),
  format: FinetuneFormat,
  /** sha256 over train.jsonl then val.jsonl. */
  hash: z.string(),
  created_at: z.string(),
  template: z.object({ id: z.string(), version: z.number(), path: z.string() }),
  /** The label schema versions of the gold labels used (and the current one). */
  label_schema_version: z.object({ current: z.number(), sources: z.array(z.number()) }),
  filters: z.record(z.string(), z.string()),
  val_fraction: z.number(),
  near_duplicate_threshold: z.number(),
  /** Gold-labeled dialogues in the store; those in the train split passing the language/channel/date filters; those also passing the intent filter (on the gold intent). */
  source: z.object({ gold_labeled: z.number(), in_train_split: z.number(), considered: z.number() }),
  examples: z.object({ train: z.number(), val: z.number(), total: z.number() }),
  /** Supervised formats: how many replies are the logged agent's and how many the reviewer's reference answer. */
  reply_sources: z.object({ logged: z.number(), reference: z.number() }).optional(),
  by_intent: Counts,
  by_language: Counts,
  by_channel: Counts,
  /** `estimate` says how tokens were counted: TOKEN_ESTIMATE_HEURISTIC, or a tokenizer's name. */
  tokens: TokenStats.extend({ estimate: z.string() }),
  exclusions: z.object({ total: z.number(), by_reason: z.partialRecord(ExclusionReason, z.number()), examples: z.array(Exclusion) }),
  warnings: z.array(z.string()),
});
export type FinetuneCard = z.infer<typeof FinetuneCard>;

/** GET /api/finetune/sets: every version of every set, newest first within a name. */
export const FinetuneSet = z.object({ name: z.string(), version: z.number().int(), format: FinetuneFormat, hash: z.string(), card: FinetuneCard });
export type FinetuneSet = z.infer<typeof FinetuneSet>;
export const FinetuneSetList = z.object({ sets: z.array(FinetuneSet) });
export type FinetuneSetList = z.infer<typeof FinetuneSetList>;

/** The files of a set, downloadable at GET /api/finetune/sets/:name/:version/:file. */
export const SET_FILES = ['train.jsonl', 'val.jsonl', 'card.md', 'card.json'] as const;
export const SetFile = z.enum(SET_FILES);
export type SetFile = z.infer<typeof SetFile>;
export const SetFileParams = z.object({ name: z.string().min(1).max(100), version: z.coerce.number().int().min(1), file: SetFile });
export type SetFileParams = z.infer<typeof SetFileParams>;
