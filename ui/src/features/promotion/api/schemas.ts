// Zod schemas for promotion and configs (server/routes/configs.ts, server/promotion/configs.ts).
import { z } from 'zod';

export const CHANNELS = ['web', 'app', 'wechat', 'phone'] as const;
export const LABELS = ['production', 'staging'] as const;
export type ConfigLabel = (typeof LABELS)[number];

export const GateCheck = z.object({ name: z.string(), passed: z.boolean(), detail: z.string(), values: z.record(z.string(), z.number().nullable()).optional() });
export type GateCheck = z.infer<typeof GateCheck>;

export const PromotionResult = z.object({ version: z.string(), forced: z.boolean(), previous: z.string().nullable(), checks: z.array(GateCheck) });
export type PromotionResult = z.infer<typeof PromotionResult>;

export const HistoryEntry = z.object({
  seq: z.number(),
  channel: z.string(),
  label: z.enum(LABELS),
  action: z.enum(['promote', 'rollback']),
  from_version: z.string().nullable(),
  to_version: z.string(),
  run_id: z.string().nullable(),
  forced_reason: z.string().nullable(),
  checks: z.array(GateCheck).nullable().catch(null),
  metrics: z.unknown().nullable(),
  by: z.string(),
  at: z.string(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const BotConfig = z.object({
  channel: z.string(),
  label: z.enum(LABELS),
  version: z.string(),
  hash: z.string(),
  candidate: z.string(),
  model: z.string(),
  promoted_at: z.string(),
  promoted_by: z.string(),
  run_id: z.string().nullable(),
});
export type BotConfig = z.infer<typeof BotConfig>;
