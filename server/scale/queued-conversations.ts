// Simulated conversations run on workers: each (scenario, trial) of a run is one job, and the
// conversation the worker returns is stored by the run as if it had run here.
import type { ProviderSettings } from '../providers/registry.ts';
import type { ResponseCacheCounts, ResponseCacheMode } from '../providers/response-cache.ts';
import type { ConversationResult, RunConversationOptions } from '../simulate/run-conversation.ts';
import { jobId, providerOf, shareableSettings, type ConversationJob } from './jobs.ts';
import { remoteError } from './queued-provider.ts';
import type { WorkDispatcher } from './work-dispatcher.ts';

export interface QueuedConversationOptions {
  /** `offline` or `provider:model` of the simulated customer (the run's setting). */
  simulator: string;
  settings?: ProviderSettings;
  /** The run's response cache mode, and where workers reach its recordings (serveResponseCache) when not off. */
  cache?: ResponseCacheMode;
  cacheChannel?: { name: string; dir: string };
  /** What a worker's cache did for one conversation (hits, misses, recordings). */
  onCacheCounts?: (counts: ResponseCacheCounts) => void;
}

/** A conversation as a worker returns it: what it ran, and what its response cache did. */
export type WorkerConversation = ConversationResult & { cache?: ResponseCacheCounts };

/** Runs one conversation of a run on a worker (the same inputs as runConversation, plus the run id). */
/** Tries of a conversation whose worker failed it as a whole (not the conversation's own errors). */
const MAX_ATTEMPTS = 5;

export type ConversationExecutor = (input: RunConversationOptions, runId: string) => Promise<ConversationResult>;

export function queuedConversations(dispatcher: WorkDispatcher, options: QueuedConversationOptions): ConversationExecutor {
  const settings = shareableSettings(options.settings) as ConversationJob['settings'];
  return async (input, runId) => {
    const trial = input.trial ?? 1;
    const data: ConversationJob = {
      kind: 'conversation',
      scenario: input.scenario as unknown as Record<string, unknown>,
      candidate: input.candidate,
      simulator: options.simulator,
      trial,
      seed: input.seed ?? 42,
      settings,
      cache: options.cache ?? 'off',
      ...(options.cacheChannel ? { cache_channel: options.cacheChannel.name, cache_dir: options.cacheChannel.dir } : {}),
    };
    const provider = providerOf(input.candidate.model);
    const id = jobId(runId, input.scenario.id, trial);
    for (let attempt = 1; ; attempt++) {
      const result = await dispatcher.run(provider, id, data, input.signal);
      if (result.ok) {
        const { cache, ...conversation } = result.value as WorkerConversation;
        if (cache) options.onCacheCounts?.(cache);
        return conversation;
      }
      await dispatcher.discard(provider, id);
      // A worker that could not run it at all (it crashed or stalled too often) is tried again; any
      // other failure is the conversation's error, recorded like a local one.
      const error = remoteError(result.error, input.candidate.model);
      if (!result.error.retryable || result.error.usage || attempt >= MAX_ATTEMPTS) throw error;
    }
  };
}
