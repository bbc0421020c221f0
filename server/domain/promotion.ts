// Promotion and promoted configs: the gate's decision, the config a bot fetches, the history of
// promotions and rollbacks, and the HTTP contract of /api/promotions and /api/configs. A refused
// promotion is a 409 that carries the gate's decision as data. Shared by server, CLI and UI. No I/O.
import { z } from 'zod';
import { ErrorBody } from './api.ts';
import { AppError } from './errors.ts';
import { ModelParams, PromptTemplate } from './eval.ts';

export const CONFIG_LABELS = ['production', 'staging'] as const;
export const ConfigLabel = z.enum(CONFIG_LABELS);
export type ConfigLabel = z.infer<typeof ConfigLabel>;

/** The channels a config can be promoted to. */
export const CHANNELS = ['web', 'app', 'wechat', 'phone'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const GATE_CHECK_NAMES = ['enough_cases', 'composite_improves', 'fcr_mcnemar', 'no_regression', 'quality_floor', 'trusted_scorers'] as const;
export const GateCheckName = z.enum(GATE_CHECK_NAMES);
export type GateCheckName = z.infer<typeof GateCheckName>;

export const GateCheck = z.object({
  name: GateCheckName,
  passed: z.boolean(),
  /** One sentence with the numbers, for the UI and the CLI. */
  detail: z.string(),
  /** The numbers behind the detail (rounded to 4 decimals, p-values to 4 significant digits; non-finite values become null). */
  values: z.record(z.string(), z.number().nullable()),
  /** false when the check was not applied because its scorers are not trusted (it then passes). */
  gated: z.boolean().optional(),
});
export type GateCheck = z.infer<typeof GateCheck>;

export const ForcedBy = z.object({
  reason: z.string(),
  by: z.string(),
  /** What the gate itself said before the override. */
  gate_allowed: z.boolean(),
  failed_checks: z.array(GateCheckName),
});
export type ForcedBy = z.infer<typeof ForcedBy>;

export const GateDecision = z.object({
  allowed: z.boolean(),
  checks: z.array(GateCheck),
  /** Set only by forcedDecision. */
  forced: ForcedBy.optional(),
});
export type GateDecision = z.infer<typeof GateDecision>;

/** What a bot fetches: everything needed to answer as production does. */
export const BotConfig = z.object({
  channel: z.string(),
  label: ConfigLabel,
  version: z.string(),
  hash: z.string(),
  candidate: z.string(),
  model: z.string(),
  params: ModelParams,
  prompt: PromptTemplate,
  promoted_at: z.string(),
  promoted_by: z.string(),
  run_id: z.string().nullable(),
});
export type BotConfig = z.infer<typeof BotConfig>;

export const HistoryEntry = z.object({
  seq: z.number(),
  channel: z.string(),
  label: ConfigLabel,
  action: z.enum(['promote', 'rollback']),
  from_version: z.string().nullable(),
  to_version: z.string(),
  run_id: z.string().nullable(),
  forced_reason: z.string().nullable(),
  /** The gate's checks of a promotion (null for a rollback). */
  checks: z.array(GateCheck).nullable(),
  metrics: z.unknown().nullable(),
  by: z.string(),
  at: z.string(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

// --- HTTP ------------------------------------------------------------------------------------------

export const ChannelParams = z.object({ channel: z.string().min(1).max(40) });
export const ConfigQuery = z.object({ label: ConfigLabel.default('production') });

export const PromoteBody = z.object({
  run_id: z.string().min(1),
  channel: z.string().min(1).max(40),
  label: ConfigLabel.default('production'),
  force_reason: z.string().min(3).max(500).optional(),
  /** Also publish the promoted prompt to Langfuse (default: the server's FIRSTCALL_LANGFUSE_PUBLISH). */
  publish_langfuse: z.boolean().optional(),
});
export type PromoteBody = z.input<typeof PromoteBody>;

/**
 * The promoted prompt published to Langfuse as labeled prompt versions (one per language). A failed
 * publish never undoes the promotion: `published` is false and `error` says why.
 */
export const LangfusePublication = z.object({
  published: z.boolean(),
  label: z.string(),
  prompts: z.array(z.object({ name: z.string(), version: z.number(), created: z.boolean() })),
  base_url: z.string().optional(),
  error: z.string().optional(),
});
export type LangfusePublication = z.infer<typeof LangfusePublication>;

export const PromotionResult = z.object({ version: z.string(), forced: z.boolean(), previous: z.string().nullable(), checks: z.array(GateCheck), langfuse: LangfusePublication.optional() });
export type PromotionResult = z.infer<typeof PromotionResult>;

export const RollbackBody = z.object({ label: ConfigLabel.default('production') });
export const RollbackResult = z.object({ from: z.string(), to: z.string() });
export type RollbackResult = z.infer<typeof RollbackResult>;

export const HistoryQuery = z.object({ channel: z.string().optional() });
export const HistoryResponse = z.object({ history: z.array(HistoryEntry) });

/**
 * Why a promotion was refused (the 409's `error`): the gate's decision when the gate said no, and
 * whether an admin may force it (never for an incomplete run).
 */
export const PromotionRefusal = z.object({
  decision: GateDecision.optional(),
  forcible: z.boolean(),
});
export type PromotionRefusal = z.infer<typeof PromotionRefusal>;

/** The 409 body of POST /api/promotions. */
export const PromotionRefusedBody = z.object({ error: ErrorBody.shape.error.extend(PromotionRefusal.partial().shape) });
export type PromotionRefusedBody = z.infer<typeof PromotionRefusedBody>;

const REFUSED = Symbol.for('firstcall.PromotionRefusedError');

/** A promotion the gate (or the run's state) refused: a 409 whose body carries the refusal. */
export class PromotionRefusedError extends AppError {
  readonly [REFUSED] = true;
  /** The gate's decision; absent when the promotion was refused before the gate. */
  readonly decision: GateDecision | undefined;
  readonly forcible: boolean;

  constructor(message: string, refusal: PromotionRefusal) {
    super('conflict', message, { details: refusal });
    this.name = 'PromotionRefusedError';
    this.decision = refusal.decision;
    this.forcible = refusal.forcible;
  }

  static override isInstance(error: unknown): error is PromotionRefusedError {
    return typeof error === 'object' && error !== null && REFUSED in error;
  }
}
