// Resolves a `provider:model` id (split on the first ':', so `hf:org/model:provider` keeps its
// model whole) to a Provider. One line per provider; wrap the result with withCache for recordings.
import { usageError } from '../domain/errors.ts';
import type { Provider } from '../domain/eval.ts';
import { createHuggingFaceProvider } from './huggingface.ts';
import { createLocalAgentProvider } from './local-agent.ts';
import { createOpenAIProvider } from './openai.ts';
import { createReplayHumanProvider } from './replay-human.ts';

export const PROVIDER_IDS = ['openai', 'hf', 'replay', 'local'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface ProviderOptions {
  /** openai: base URL of the API or of an OpenAI-compatible server. */
  baseURL?: string;
  /** openai: API key. */
  apiKey?: string;
  /** openai and hf. */
  fetch?: typeof fetch;
  /** openai and hf: whole-call timeout. */
  timeoutMs?: number;
  hfToken?: string;
  hfEndpointUrl?: string;
  /** The `local:kb` bot, built by the caller from a knowledge base (see local-kb.ts). */
  localKb?: Provider;
  /** Where unset options are read from (process.env by default). */
  env?: Record<string, string | undefined>;
}

interface ProviderEntry {
  example: string;
  description: string;
  create(model: string, options: ProviderOptions): Provider;
}

const onlyModel = (provider: string, model: string, expected: string) => {
  if (model !== expected) throw usageError(`unknown model "${provider}:${model}": the only one is ${provider}:${expected}`);
};

const PROVIDERS: Record<ProviderId, ProviderEntry> = {
  openai: {
    example: 'openai:gpt-4o-mini',
    description: 'OpenAI or any OpenAI-compatible server (vLLM, llama.cpp, Ollama, DeepSeek, Qwen) via a base URL',
    create: (model, o) =>
      createOpenAIProvider({
        model,
        ...(o.baseURL === undefined ? {} : { baseURL: o.baseURL }),
        ...(o.apiKey === undefined ? {} : { apiKey: o.apiKey }),
        ...(o.fetch === undefined ? {} : { fetch: o.fetch }),
        ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
        ...(o.env === undefined ? {} : { env: o.env }),
      }),
  },
  hf: {
    example: 'hf:Qwen/Qwen2.5-7B-Instruct',
    description: 'Hugging Face Inference Providers, or a TGI / dedicated endpoint via an endpoint URL',
    create: (model, o) =>
      createHuggingFaceProvider({
        model,
        ...(o.hfToken === undefined ? {} : { accessToken: o.hfToken }),
        ...(o.hfEndpointUrl === undefined ? {} : { endpointUrl: o.hfEndpointUrl }),
        ...(o.fetch === undefined ? {} : { fetch: o.fetch }),
        ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
        ...(o.env === undefined ? {} : { env: o.env }),
      }),
  },
  replay: {
    example: 'replay:human',
    description: "the logged human agent's reply (offline baseline)",
    create: (model) => {
      onlyModel('replay', model, 'human');
      return createReplayHumanProvider();
    },
  },
  local: {
    example: 'local:kb',
    description: 'the offline knowledge-base retrieval bot built from resolved training dialogues',
    create: (model, o) => {
      if (model === 'agent') return createLocalAgentProvider(); // local:agent: the grounded tool-using agent (local-agent.ts)
      onlyModel('local', model, 'kb');
      if (!o.localKb) throw usageError('local:kb needs a knowledge base: build one from training dialogues and pass it as localKb');
      return o.localKb;
    },
  },
};

/** Every provider with an example id, for help texts and error messages. */
export function listProviders(): Array<{ id: ProviderId; example: string; description: string }> {
  return PROVIDER_IDS.map((id) => ({ id, example: PROVIDERS[id].example, description: PROVIDERS[id].description }));
}

const isProviderId = (value: string): value is ProviderId => (PROVIDER_IDS as readonly string[]).includes(value);

/** The provider for `provider:model`; a usage error (listing the providers) for anything else. */
export function resolveProvider(id: string, options: ProviderOptions = {}): Provider {
  const colon = id.indexOf(':');
  const prefix = colon < 0 ? id : id.slice(0, colon);
  const model = colon < 0 ? '' : id.slice(colon + 1);
  const available = listProviders()
    .map((p) => p.example)
    .join(', ');
  if (!isProviderId(prefix)) {
    throw usageError(`unknown provider "${prefix}" in "${id}"; available: ${PROVIDER_IDS.join(', ')} (e.g. ${available})`);
  }
  if (!model.trim()) throw usageError(`"${id}" names no model: a model id is provider:model, e.g. ${PROVIDERS[prefix].example}`);
  return PROVIDERS[prefix].create(model, options);
}
