// A Provider whose calls run on workers: generate() enqueues the request (with the case, so offline
// providers such as replay:human work too) and resolves with the worker's reply. The eval runner
// calls it like any provider, so retries, timeouts, scoring, storing, resume and the error budget stay
// the writer's, unchanged. A failed call is rebuilt as the error the provider threw on the worker.
import { createHash } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import type { GenerateRequest, GenerateResult, Provider } from '../domain/eval.ts';
import { ProviderError } from '../providers/provider-error.ts';
import type { ProviderSettings } from '../providers/registry.ts';
import { jobId, providerOf, shareableSettings, type CallJob, type RemoteFailure } from './jobs.ts';
import type { WorkDispatcher } from './work-dispatcher.ts';

export interface QueuedProviderOptions {
  /** `provider:model` the workers resolve from their registry. */
  model: string;
  /** Provider settings (secrets are dropped: workers use their own keys). */
  settings?: ProviderSettings;
  /** The run the calls belong to (part of every job id). */
  runId: string;
}

export function createQueuedProvider(dispatcher: WorkDispatcher, options: QueuedProviderOptions): Provider {
  const provider = providerOf(options.model);
  const settings = shareableSettings(options.settings) as CallJob['settings'];
  // Only offline providers read the case and template (remote ones get the rendered messages): the
  // rest travel without them, which keeps jobs small.
  const offline = provider === 'local' || provider === 'replay';
  return {
    id: options.model,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const unit = request.case?.case_id ?? createHash('sha256').update(JSON.stringify(request.messages)).digest('hex').slice(0, 16);
      const id = jobId(options.runId, unit, request.trial ?? 1);
      const data: CallJob = {
        kind: 'call',
        model: options.model,
        settings,
        request: {
          messages: request.messages,
          params: request.params,
          ...(offline && request.case ? { case: request.case } : {}),
          ...(offline && request.template ? { template: request.template } : {}),
          ...(request.trial === undefined ? {} : { trial: request.trial }),
        },
      };
      const result = await dispatcher.run(provider, id, data, request.signal);
      if (result.ok) return result.value as GenerateResult;
      // A failed call is forgotten, so the runner's retry runs it again.
      await dispatcher.discard(provider, id);
      throw remoteError(result.error, options.model);
    },
  };
}

/** The error a worker's failed call stands for, as the runner's retry logic reads it. */
export function remoteError(failure: RemoteFailure, model: string): Error {
  if (failure.usage) return new AppError('usage', failure.message);
  return new ProviderError(failure.message, {
    provider: model,
    kind: failure.kind ?? 'server',
    retryable: failure.retryable,
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
  });
}
