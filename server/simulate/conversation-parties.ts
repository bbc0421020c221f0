// Who takes part in a simulated conversation, built the same way wherever it runs (the process that
// holds the store, or a `firstcall worker`): the customer (offline, or a model playing the persona)
// and the candidate's provider, both through the run's response cache when it has one.
import { usageError } from '../domain/errors.ts';
import { resolveProvider, type ProviderOptions } from '../providers/registry.ts';
import { throughCache, type ResponseCache } from '../providers/response-cache.ts';
import { createLlmSimulator } from './llm-simulator.ts';
import { createOfflineSimulator } from './offline-simulator.ts';
import type { ProviderFor } from './run-conversation.ts';
import type { CustomerSimulator } from './simulator.ts';

/** `offline`, or `provider:model` for a model as the customer (its replies recorded per trial). */
export function createCustomerSimulator(id: string, providerOptions: ProviderOptions, cache: ResponseCache | undefined): CustomerSimulator {
  if (id === 'offline') return createOfflineSimulator();
  if (!/^[a-z0-9]+:.+$/.test(id)) throw usageError(`--simulator wants offline or provider:model (got "${id}")`);
  return createLlmSimulator({ provider: resolveProvider(id, providerOptions), ...(cache ? { cache } : {}) });
}

/** The candidate's provider through the cache (a request that carries a tool runner never is: withCache). */
export function cachedProviderFor(providerFor: ProviderFor, cache: ResponseCache | undefined): ProviderFor {
  return (candidate, sandbox) => throughCache(providerFor(candidate, sandbox), cache);
}
