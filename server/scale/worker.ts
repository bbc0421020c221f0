// A firstcall worker: takes jobs from the per-provider work queues in Redis and runs them with the
// providers from its own registry and its own keys: one model call of an eval case, or one whole
// simulated conversation. It stores nothing; the enqueuing process stores what it returns. A job whose
// worker dies goes back to the queue once its lock expires (BullMQ's stalled-job check) and another
// worker runs it. Rate limits are per provider queue, shared by all workers through Redis, and a 429
// from a provider pauses that provider's queue for every worker for as long as the provider asked.
import { hostname } from 'node:os';
import { RateLimitError, Worker, type Job } from 'bullmq';
import { AppError } from '../domain/errors.ts';
import type { GenerateResult, Provider } from '../domain/eval.ts';
import { ProviderError } from '../providers/provider-error.ts';
import { PROVIDER_IDS, resolveProvider, type ProviderId, type ProviderOptions } from '../providers/registry.ts';
import { Scenario } from '../scenarios/scenario.ts';
import { cachedProviderFor, createCustomerSimulator } from '../simulate/conversation-parties.ts';
import { defaultProviderFor, runConversation } from '../simulate/run-conversation.ts';
import { channelResponseCache } from './cache-channel.ts';
import { queueName, WorkJob, type RemoteFailure, type WorkResult } from './jobs.ts';
import type { WorkerConversation } from './queued-conversations.ts';
import { REDIS_PREFIX, redisOptions } from './redis-options.ts';

export interface RateLimit {
  /** Jobs started … */
  max: number;
  /** … per this many ms, across all workers. */
  durationMs: number;
}

export interface WorkerOptions {
  redis: string;
  /** Jobs in flight per provider queue (default 8). */
  concurrency?: number;
  /** Per provider; give every worker the same limits (BullMQ keeps one counter per queue). */
  rateLimits?: Partial<Record<ProviderId, RateLimit>>;
  /** Providers to take work for (default all). */
  providers?: readonly ProviderId[];
  /** Shown in results and logs (default host:pid). */
  name?: string;
  /** How long a job's lock lasts without renewal: a killed worker's jobs run again after about this long. */
  lockDurationMs?: number;
  /** Environment the providers read their keys and base URLs from (default process.env). */
  env?: Record<string, string | undefined>;
  onJob?: (event: { kind: WorkJob['kind']; id: string; ok: boolean }) => void;
}

export interface RunningWorker {
  name: string;
  /** Resolves once every queue is being listened to. */
  ready: Promise<void>;
  /** Lets running jobs finish, then stops taking new ones. */
  close(): Promise<void>;
}

/** The rate limit `openai=20/s` (also /min, /ms or a bare number of ms: 20/500). */
export function parseRateLimit(text: string): [ProviderId, RateLimit] {
  const match = /^([a-z]+)=(\d+)\/(\d*)(ms|s|min)?$/.exec(text.trim());
  if (!match || !(PROVIDER_IDS as readonly string[]).includes(match[1]!)) {
    throw new AppError('usage', `--rate wants provider=N/unit with a provider of ${PROVIDER_IDS.join(', ')}, e.g. openai=20/s or hf=300/min (got "${text}")`);
  }
  const count = match[3] ? Number(match[3]) : 1;
  const unit = match[4] === 'min' ? 60_000 : match[4] === 'ms' ? 1 : match[4] === 's' || !match[3] ? 1000 : 1;
  return [match[1] as ProviderId, { max: Number(match[2]), durationMs: count * unit }];
}

export function startWorker(options: WorkerOptions): RunningWorker {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const env = options.env ?? process.env;
  // Providers are reused across jobs (their HTTP clients keep connections alive).
  const providers = new Map<string, Provider>();
  const providerFor = (model: string, settings: Record<string, unknown>): Provider => {
    const key = `${model}|${JSON.stringify(settings)}`;
    let provider = providers.get(key);
    if (!provider) providers.set(key, (provider = resolveProvider(model, { ...(settings as ProviderOptions), env })));
    return provider;
  };

  const workers: Worker[] = [];
  for (const provider of options.providers ?? PROVIDER_IDS) {
    const limit = options.rateLimits?.[provider];
    const lockDuration = options.lockDurationMs ?? 10_000;
    const worker: Worker = new Worker(queueName(provider), (job: Job) => processJob(job, worker), {
      connection: redisOptions(options.redis, { blocking: true }),
      prefix: REDIS_PREFIX,
      name,
      concurrency: options.concurrency ?? 8,
      lockDuration,
      stalledInterval: Math.max(1000, Math.round(lockDuration / 2)),
      // A job may lose its worker a few times (crashes, deploys) before it counts as failed.
      maxStalledCount: 5,
      ...(limit ? { limiter: { max: limit.max, duration: limit.durationMs } } : {}),
    });
    worker.on('error', (error) => console.error(`firstcall worker ${name}: ${error.message}`));
    workers.push(worker);
  }

  async function processJob(job: Job, worker: Worker): Promise<WorkResult> {
    const data = WorkJob.parse(job.data);
    const id = job.id ?? '?';
    try {
      const value = data.kind === 'call' ? await call(data) : await conversation(data);
      options.onJob?.({ kind: data.kind, id, ok: true });
      return { ok: true, value, worker: name };
    } catch (error) {
      // Told to slow down: every worker on this provider's queue waits, and the job runs again later.
      if (ProviderError.isInstance(error) && error.kind === 'rate_limited') {
        await worker.rateLimit(error.retryAfterMs ?? 1000);
        throw new RateLimitError();
      }
      options.onJob?.({ kind: data.kind, id, ok: false });
      return { ok: false, error: failureOf(error), worker: name };
    }
  }

  async function call(data: Extract<WorkJob, { kind: 'call' }>): Promise<GenerateResult> {
    const provider = providerFor(data.model, data.settings);
    return provider.generate({ ...data.request, ...(data.request.case ? { case: data.request.case } : {}) });
  }

  /** One conversation, with the customer and the candidate behind the run's response cache (the writer's folder, over its channel) in the run's mode, as they would be in the writer. */
  async function conversation(data: Extract<WorkJob, { kind: 'conversation' }>): Promise<WorkerConversation> {
    const settings = { ...(data.settings as ProviderOptions), env };
    if (data.candidate.model === 'local:kb') throw new AppError('usage', 'local:kb needs the store’s knowledge base: its conversations run in the process that holds the store');
    const cache =
      data.cache === 'off' ? undefined : channelResponseCache({ url: options.redis, channel: data.cache_channel!, mode: data.cache, dir: data.cache_dir ?? 'the run’s response cache' });
    try {
      const simulator = createCustomerSimulator(data.simulator, settings, cache);
      const providerFor = cachedProviderFor(defaultProviderFor(settings), cache);
      const result = await runConversation({ scenario: Scenario.parse(data.scenario), candidate: data.candidate, simulator, providerFor, trial: data.trial, seed: data.seed });
      if (!cache) return result;
      const { hits, misses, writes } = cache.stats();
      return { ...result, cache: { hits, misses, writes } };
    } finally {
      await cache?.close();
    }
  }

  return {
    name,
    ready: Promise.all(workers.map((w) => w.waitUntilReady())).then(() => undefined),
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

/** What the writer needs to know of a failed call (no stack, no secrets: the provider's message). */
export function failureOf(error: unknown): RemoteFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (AppError.isInstance(error)) return { message, retryable: false, usage: error.code === 'usage' };
  if (ProviderError.isInstance(error)) {
    return {
      message,
      kind: error.kind,
      retryable: error.retryable,
      usage: false,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }
  const hinted = typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;
  return { message, retryable: hinted, usage: false };
}
