// What goes over the work queues: one job per model call of an eval case (the writer keeps scoring and
// storing) or per simulated conversation, with everything a worker needs in the job data, and what a
// worker sends back. Queues are per provider (`calls-openai`, …) so a rate limit per provider is
// BullMQ's queue-wide limiter, shared by every worker. API keys never travel: workers use their own.
import { z } from 'zod';
import { ChatMessage, ModelParams, PromptTemplate, SuiteCase } from '../domain/eval.ts';
import { PROVIDER_ERROR_KINDS } from '../providers/provider-error.ts';
import { PROVIDER_IDS, type ProviderId, type ProviderSettings } from '../providers/registry.ts';
import { ResponseCacheMode } from '../providers/response-cache.ts';
import { CacheChannelName } from './cache-channel.ts';

export const queueName = (provider: ProviderId) => `calls-${provider}`;

/** The provider part of `provider:model`. */
export function providerOf(model: string): ProviderId {
  const prefix = model.split(':', 1)[0]!;
  if (!(PROVIDER_IDS as readonly string[]).includes(prefix)) throw new Error(`unknown provider in ${model}`);
  return prefix as ProviderId;
}

/** Provider settings without secrets (keys and tokens stay with whoever runs the worker). */
export function shareableSettings(settings: ProviderSettings | undefined): ProviderSettings {
  const out: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(settings ?? {})) {
    if (!value || typeof value !== 'object') continue;
    const kept = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k, v]) => v !== undefined && !/key|token|secret|password/i.test(k)));
    if (Object.keys(kept).length > 0) out[id] = kept;
  }
  return out as ProviderSettings;
}

/** A BullMQ job id (no `:`) naming what the job is for: run, case or scenario, trial. */
export const jobId = (...parts: readonly (string | number)[]) => parts.map((p) => encodeURIComponent(String(p)).replace(/:/g, '%3A')).join('|');

const Settings = z.record(z.string(), z.record(z.string(), z.unknown()));

export const CallJob = z.object({
  kind: z.literal('call'),
  model: z.string(),
  settings: Settings,
  request: z.object({
    messages: z.array(ChatMessage),
    params: ModelParams,
    case: SuiteCase.optional(),
    template: PromptTemplate.optional(),
    trial: z.number().int().optional(),
  }),
});
export type CallJob = z.infer<typeof CallJob>;

export const ConversationJob = z.object({
  kind: z.literal('conversation'),
  /** The scenario as the run has it (max_turns applied); parsed by the worker with the Scenario schema. */
  scenario: z.record(z.string(), z.unknown()),
  candidate: z.object({ name: z.string(), model: z.string(), template: PromptTemplate, params: ModelParams }),
  /** `offline` or `provider:model` of the simulated customer. */
  simulator: z.string(),
  trial: z.number().int().min(1),
  seed: z.number().int(),
  settings: Settings,
  /** Per-call timeout (ms) of the candidate's calls on the worker. */
  timeoutMs: z.number().int().positive().optional(),
  /** The run's response cache mode; its recordings stay with the writer, reached over `cache_channel` (cache-channel.ts). */
  cache: ResponseCacheMode.default('off'),
  /** The writer's cache channel and folder, when `cache` is not off. */
  cache_channel: CacheChannelName.optional(),
  cache_dir: z.string().optional(),
}).refine((job) => job.cache === 'off' || job.cache_channel !== undefined, { message: 'a conversation with a response cache needs the writer\'s cache channel', path: ['cache_channel'] });
export type ConversationJob = z.infer<typeof ConversationJob>;

export const WorkJob = z.discriminatedUnion('kind', [CallJob, ConversationJob]);
export type WorkJob = z.infer<typeof WorkJob>;

/** A failed call, as the writer's retry logic needs it (retryable or not, Retry-After, bad configuration). */
export const RemoteFailure = z.object({
  message: z.string(),
  kind: z.enum(PROVIDER_ERROR_KINDS).optional(),
  retryable: z.boolean(),
  status: z.number().int().optional(),
  retryAfterMs: z.number().optional(),
  /** Bad configuration on the worker (no key, unknown model): stops the run as it would locally. */
  usage: z.boolean().default(false),
});
export type RemoteFailure = z.infer<typeof RemoteFailure>;

/** What a worker returns: the call's result or conversation, or the failure (a failed call is an answer too). */
export const WorkResult = z.union([
  z.object({ ok: z.literal(true), value: z.unknown(), worker: z.string() }),
  z.object({ ok: z.literal(false), error: RemoteFailure, worker: z.string() }),
]);
export type WorkResult = z.infer<typeof WorkResult>;
