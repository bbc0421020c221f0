// `openai:<model>` through the official `openai` package: OpenAI itself or any OpenAI-compatible
// server (vLLM, llama.cpp, Ollama, DeepSeek, Qwen) given a base URL. The SDK never retries
// (maxRetries 0): retrying is the eval runner's job, driven by ProviderError.retryable.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { readChatCompletion } from './chat-completion.ts';
import { AppError } from '../domain/errors.ts';
import type { GenerateRequest, GenerateResult, Provider } from '../domain/eval.ts';
import { DEFAULT_TIMEOUT_MS, startDeadline, type Deadline } from './deadline.ts';
import {
  abortedError,
  errorBodyMessage,
  isAbortError,
  isNetworkError,
  malformedResponse,
  networkError,
  ProviderError,
  providerErrorFromStatus,
  redactSecret,
  timeoutError,
} from './provider-error.ts';

export interface OpenAIProviderOptions {
  model: string;
  /** Default: env FIRSTCALL_OPENAI_BASE_URL, then OPENAI_BASE_URL, then https://api.openai.com/v1. */
  baseURL?: string;
  /** Default: env FIRSTCALL_OPENAI_API_KEY, then OPENAI_API_KEY. Optional with a custom base URL. */
  apiKey?: string;
  fetch?: typeof fetch;
  /** Whole call, body included (default 60 s). */
  timeoutMs?: number;
  /** Default: env OPENAI_ORG_ID. */
  organization?: string;
  /** Where the defaults are read from (process.env by default). */
  env?: Record<string, string | undefined>;
}

/** The part of a chat completion we use; anything else the server sends is ignored. */
const nonEmpty = (value: string | undefined) => (value && value.trim() ? value.trim() : undefined);

export function createOpenAIProvider(options: OpenAIProviderOptions): Provider {
  const env = options.env ?? process.env;
  const id = `openai:${options.model}`;
  const baseURL = nonEmpty(options.baseURL) ?? nonEmpty(env.FIRSTCALL_OPENAI_BASE_URL) ?? nonEmpty(env.OPENAI_BASE_URL);
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(env.FIRSTCALL_OPENAI_API_KEY) ?? nonEmpty(env.OPENAI_API_KEY);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  // Built on first use, so a run served entirely from the response cache needs no key.
  let client: OpenAI | undefined;
  const getClient = (): OpenAI => {
    if (client) return client;
    if (!apiKey && !baseURL) {
      throw new AppError(
        'usage',
        `${id} needs an API key: set FIRSTCALL_OPENAI_API_KEY or OPENAI_API_KEY (or a base URL for a local OpenAI-compatible server)`,
      );
    }
    client = new OpenAI({
      // A local server usually wants no key, but the SDK insists on one: send none at all.
      apiKey: apiKey ?? 'none',
      ...(apiKey ? {} : { defaultHeaders: { Authorization: null } }),
      adminAPIKey: null,
      baseURL: baseURL ?? null,
      // Everything from our `env`, nothing read behind our back from process.env.
      organization: nonEmpty(options.organization) ?? nonEmpty(env.OPENAI_ORG_ID) ?? null,
      project: nonEmpty(env.OPENAI_PROJECT_ID) ?? null,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      maxRetries: 0,
      timeout: timeoutMs,
      logLevel: 'off',
    });
    return client;
  };

  return {
    id,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const openai = getClient();
      const { params } = request;
      const deadline = startDeadline(timeoutMs, request.signal);
      let body: unknown;
      try {
        body = await openai.chat.completions.create(
          {
            model: options.model,
            messages: request.messages,
            temperature: params.temperature,
            max_tokens: params.max_tokens,
            ...(params.top_p === undefined ? {} : { top_p: params.top_p }),
            ...(params.seed === undefined ? {} : { seed: params.seed }),
            ...(request.responseFormat === undefined ? {} : { response_format: request.responseFormat }),
          },
          { signal: deadline.signal },
        );
      } catch (error) {
        throw toProviderError(id, error, deadline, timeoutMs, apiKey);
      } finally {
        deadline.dispose();
      }
      return readChatCompletion(id, options.model, body);
    },
  };
}


function toProviderError(id: string, error: unknown, deadline: Deadline, timeoutMs: number, apiKey: string | undefined): ProviderError {
  if (ProviderError.isInstance(error)) return error;
  // Our deadline aborts the SDK's request: the SDK then reports a user abort, or the body read fails.
  if (deadline.timedOut()) return timeoutError(id, timeoutMs);
  if (deadline.callerAborted() || error instanceof APIUserAbortError) return abortedError(id);
  if (error instanceof APIConnectionTimeoutError) return timeoutError(id, timeoutMs);
  if (error instanceof APIConnectionError) return networkError(id, error.cause ?? error);
  if (error instanceof APIError && typeof error.status === 'number') {
    // The server's own words, without the SDK's "401 " prefix; some servers echo the key back.
    const fallback = error.message.replace(/^\d{3} /, '').replace(/^status code \(no body\)$/, '');
    const detail = errorBodyMessage(error.error) ?? fallback;
    const mapped = providerErrorFromStatus({ provider: id, status: error.status, headers: error.headers, detail });
    mapped.message = redactSecret(mapped.message, apiKey);
    return mapped;
  }
  if (error instanceof SyntaxError) return malformedResponse(id, `invalid JSON (${error.message})`);
  if (isAbortError(error)) return abortedError(id);
  if (isNetworkError(error)) return networkError(id, error);
  return new ProviderError(redactSecret(`${id}: ${error instanceof Error ? error.message : String(error)}`, apiKey), {
    provider: id,
    kind: 'bad_request',
    retryable: false,
  });
}
