// The data card of a fine-tuning set as the UI reads it (server/finetune/card.ts). The list endpoint
// types the card as an open record, so the UI checks the fields it shows here.
import { z } from 'zod';

const Counts = z.record(z.string(), z.number());

export const FinetuneCard = z.object({
  created_at: z.string(),
  examples: z.object({ train: z.number(), val: z.number(), total: z.number() }),
  by_intent: Counts,
  by_language: Counts,
  by_channel: Counts,
  tokens: z.object({ mean: z.number(), p50: z.number(), p95: z.number(), max: z.number(), total: z.number(), estimate: z.string() }),
  exclusions: z.object({
    total: z.number(),
    by_reason: Counts,
    examples: z.array(z.object({ dialogue_id: z.string(), reason: z.string(), detail: z.string().optional() })),
  }),
  template: z.object({ id: z.string(), version: z.number(), path: z.string() }),
  label_schema_version: z.object({ current: z.number(), sources: z.array(z.number()) }),
  warnings: z.array(z.string()),
});
export type FinetuneCard = z.infer<typeof FinetuneCard>;

export const FinetuneSet = z.object({ name: z.string(), version: z.number(), format: z.string(), hash: z.string(), card: FinetuneCard });
export type FinetuneSet = z.infer<typeof FinetuneSet>;

export const SET_FILES = ['train.jsonl', 'val.jsonl', 'card.md', 'card.json'] as const;
export type SetFile = (typeof SET_FILES)[number];
