// Resolves a `provider:model` id (split on the first ':', so `hf:org/model:provider` keeps its
// model whole) to a Provider. One entry per provider, with its own options schema, parsed before its
// factory runs; wrap the result with withCache for recordings.
import { usageError } from '../domain/errors.ts';
import type { ActionKind, Provider } from '../domain/eval.ts';
import { actionKindsOf } from '../tools/actions.ts';
import { z } from 'zod';
import { createHuggingFaceProvider, HuggingFaceOptions } from './huggingface.ts';
import { createLocalAgentProvider, LOCAL_AGENT_TOOLS } from './local-agent.ts';
import { createOpenAIProvider, OpenAIOptions } from './openai.ts';
import { parseProviderOptions } from './provider-options.ts';
import { createReplayHumanProvider } from './replay-human.ts';

export const PROVIDER_IDS = ['openai', 'hf', 'replay', 'local'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** What a caller supplies that is not configuration: injected fetch, environment, a built knowledge base. */
export interface ProviderRuntime {
  /** openai and hf. */
  fetch?: typeof fetch;
  /** Where unset options are read from (process.env by default). */
  env?: Record<string, string | undefined>;
  /** The `local:kb` bot, built by the caller from a knowledge base (see local-kb.ts). */
  localKb?: Provider;
}

/** Each provider's own options, under its id (see each entry's schema), without the runtime parts. */
export interface ProviderSettings {
  openai?: OpenAIOptions;
  hf?: HuggingFaceOptions;
}

export type ProviderOptions = ProviderSettings & ProviderRuntime;

interface ProviderEntry<S extends z.ZodType = z.ZodType> {
  example: string;
  description: string;
  /** The provider's own options; `parse({})` gives the defaults (unset ones come from the environment). */
  options: S;
  /**
   * What the author of a reply to an eval case can change in the back office: `off-record` (a logged
   * human agent, who acted in systems no tool call records), the kinds of action its tools take, or
   * `nothing` (it only answers: an eval gives remote models no tools, and local:kb has none).
   */
  acts: (model: string) => 'off-record' | readonly ActionKind[] | 'nothing';
  create(model: string, options: z.output<S>, runtime: ProviderRuntime): Provider;
}

const entry = <S extends z.ZodType>(e: ProviderEntry<S>): ProviderEntry => e as unknown as ProviderEntry;

const onlyModel = (provider: string, model: string, expected: string) => {
  if (model !== expected) throw usageError(`unknown model "${provider}:${model}": the only one is ${provider}:${expected}`);
};

/** What local:agent's tools can do (the same array for every case, as scorers compare it). */
const LOCAL_AGENT_KINDS = actionKindsOf(LOCAL_AGENT_TOOLS);

const PROVIDERS: Record<ProviderId, ProviderEntry> = {
  openai: entry({
    example: 'openai:gpt-4o-mini',
    description: 'OpenAI or any OpenAI-compatible server (vLLM, llama.cpp, Ollama, DeepSeek, Qwen) via a base URL',
    options: OpenAIOptions,
    acts: () => 'nothing',
    create: (model, o, r) => createOpenAIProvider({ model, ...o, ...runtimeOf(r) }),
  }),
  hf: entry({
    example: 'hf:Qwen/Qwen2.5-7B-Instruct',
    description: 'Hugging Face Inference Providers, or a TGI / dedicated endpoint via an endpoint URL',
    options: HuggingFaceOptions,
    acts: () => 'nothing',
    create: (model, o, r) => createHuggingFaceProvider({ model, ...o, ...runtimeOf(r) }),
  }),
  replay: entry({
    example: 'replay:human',
    description: "the logged human agent's reply (offline baseline)",
    options: z.strictObject({}),
    acts: () => 'off-record',
    create: (model) => {
      onlyModel('replay', model, 'human');
      return createReplayHumanProvider();
    },
  }),
  local: entry({
    example: 'local:kb',
    description: 'the offline knowledge-base retrieval bot built from resolved training dialogues',
    // local:kb is built by the caller (it needs the store's knowledge base) and local:agent has no settings.
    options: z.strictObject({}),
    acts: (model) => (model === 'agent' ? LOCAL_AGENT_KINDS : 'nothing'),
    create: (model, _o, r) => {
      if (model === 'agent') return createLocalAgentProvider(); // local:agent: the grounded tool-using agent (local-agent.ts)
      onlyModel('local', model, 'kb');
      if (!r.localKb) throw usageError('local:kb needs a knowledge base: build one from training dialogues and pass it as localKb');
      return r.localKb;
    },
  }),
};

/** Only the runtime parts that are set (exactOptionalPropertyTypes-friendly). */
const runtimeOf = (r: ProviderRuntime) => ({ ...(r.fetch === undefined ? {} : { fetch: r.fetch }), ...(r.env === undefined ? {} : { env: r.env }) });

/** A provider's options schema, e.g. for the registry test and help texts. */
export function providerOptionsSchema(id: ProviderId): z.ZodType {
  return PROVIDERS[id].options;
}

/**
 * Whether replies of `provider:model` may state actions no tool call records (replay:human: the agent
 * acted in systems the log does not show). The others act only through the tool calls they return.
 */
export function actsOffRecord(model: string): boolean {
  return actsIn(model) === 'off-record';
}

/**
 * What the author of `provider:model`'s replies to eval cases can change in the back office, as
 * ScoreInput takes it: whether anything (`can_act`) and, for a bot with tools, which kinds of action
 * (`acts_on`). Both are left out for a provider firstcall does not know.
 */
export function canActInEval(model: string): { can_act?: boolean; acts_on?: readonly ActionKind[] } {
  const acts = actsIn(model);
  if (acts === undefined) return {};
  return typeof acts === 'string' ? { can_act: acts !== 'nothing' } : { can_act: true, acts_on: acts };
}

function actsIn(model: string) {
  const split = model.indexOf(':');
  const id = model.slice(0, Math.max(0, split));
  return isProviderId(id) ? PROVIDERS[id].acts(model.slice(split + 1)) : undefined;
}

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
  const { fetch: f, env, localKb, ...settings } = options;
  const entry = PROVIDERS[prefix];
  const own = parseProviderOptions(prefix, entry.options, (settings as Record<string, unknown>)[prefix]);
  return entry.create(model, own, { ...(f === undefined ? {} : { fetch: f }), ...(env === undefined ? {} : { env }), ...(localKb === undefined ? {} : { localKb }) });
}
