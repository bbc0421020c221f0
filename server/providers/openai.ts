// `openai:<model>` through the official `openai` package: OpenAI itself or any OpenAI-compatible
// server (vLLM, llama.cpp, Ollama, DeepSeek, Qwen) given a base URL. The SDK never retries
// (maxRetries 0): retrying is the eval runner's job, driven by ProviderError.retryable.
// Tools (the loop on a runner, or the caller's passed through) as chat-completion.ts runs them.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { generateByChatCompletions } from './chat-completion.ts';
import type { GenerateRequest, Provider } from '../domain/eval.ts';
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
import { parseProviderOptions } from './provider-options.ts';
import { openAIClient, openAIConnection } from './openai-client.ts';
import { headersOf, nodeHttpFetch, nodeHttpRequest, type NodeHttpResponse } from './node-http-fetch.ts';

/** The openai provider's own options (its registry entry carries this schema); unset ones come from the environment. */
export const OpenAIOptions = z.strictObject({
  /** Default: env FIRSTCALL_OPENAI_BASE_URL, then OPENAI_BASE_URL, then https://api.openai.com/v1. */
  baseURL: z.string().optional(),
  /** Default: env FIRSTCALL_OPENAI_API_KEY, then OPENAI_API_KEY. Optional with a custom base URL. */
  apiKey: z.string().optional(),
  /** Whole call, body included (default 60 s). */
  timeoutMs: z.number().int().positive().optional(),
  /** Default: env OPENAI_ORG_ID. */
  organization: z.string().optional(),
});
export type OpenAIOptions = z.input<typeof OpenAIOptions>;

export interface OpenAIProviderOptions extends OpenAIOptions {
  model: string;
  fetch?: typeof fetch;
  /** Where the defaults are read from (process.env by default). */
  env?: Record<string, string | undefined>;
}

export function createOpenAIProvider({ model, fetch: injectedFetch, env: injectedEnv, ...rest }: OpenAIProviderOptions): Provider {
  const options = { model, fetch: injectedFetch, env: injectedEnv, ...parseProviderOptions('openai', OpenAIOptions, rest) };
  const env = options.env ?? process.env;
  const id = `openai:${options.model}`;
  const connection = openAIConnection(options, env);
  const { apiKey } = connection;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  // Built on first use, so a run served entirely from the response cache needs no key.
  let client: OpenAI | undefined;
  const getClient = (): OpenAI => {
    if (client) return client;
    // node:http with keep-alive unless a test injects its own: ~0.5 ms less CPU per call than Node's fetch.
    client = openAIClient(connection, id, { fetch: options.fetch ?? nodeHttpFetch, timeoutMs });
    return client;
  };

  // The chat-completions call goes straight over node:http with the URL and headers the SDK would
  // send (taken from the SDK once) and its errors made the way the SDK makes them: the SDK's request
  // pipeline costs ~0.4 ms of CPU a call, a third of the eval runner's main thread against a fast
  // server. With an injected fetch (tests, proxies) every call goes through the SDK.
  let direct: Promise<DirectCall> | undefined;
  const getDirect = (openai: OpenAI): Promise<DirectCall> => (direct ??= directCall(openai));

  /** One model call with its own deadline (a tool loop makes several). */
  const complete = async (body: ChatCompletionCreateParamsNonStreaming, signal: AbortSignal | undefined): Promise<unknown> => {
    const openai = getClient();
    const deadline = startDeadline(timeoutMs, signal);
    try {
      if (options.fetch === undefined) return await (await getDirect(openai))(body, deadline.signal);
      return await openai.chat.completions.create(body, { signal: deadline.signal });
    } catch (error) {
      throw toProviderError(id, error, deadline, timeoutMs, apiKey);
    } finally {
      deadline.dispose();
    }
  };

  return {
    id,
    passesToolsThrough: true,
    generate: (request: GenerateRequest) => generateByChatCompletions(id, options.model, request, (body, signal) => complete(body as unknown as ChatCompletionCreateParamsNonStreaming, signal)),
  };
}

type DirectCall = (body: ChatCompletionCreateParamsNonStreaming, signal: AbortSignal) => Promise<unknown>;

/**
 * POST /chat/completions as the SDK (maxRetries 0) sends and reads it, over nodeHttpRequest: the
 * SDK's own URL and headers (built once: user agent, platform headers, key, organization, project),
 * the body as JSON; a JSON answer parsed (a SyntaxError when it is not JSON), another answer as
 * text; an error status as the SDK's APIError (body parsed when JSON, else its text as message); a
 * failed connection as APIConnectionError. An abort rejects with the signal's reason.
 */
async function directCall(openai: OpenAI): Promise<DirectCall> {
  const { url, req } = await openai.buildRequest({ method: 'post', path: '/chat/completions', body: {} });
  const template: Record<string, string> = {};
  for (const [name, value] of new Headers(req.headers)) if (name !== 'content-length') template[name] = value;
  const target = new URL(url);
  return async (body, signal) => {
    const json = JSON.stringify(body);
    const headers = { ...template, 'content-length': String(Buffer.byteLength(json)) };
    let response: NodeHttpResponse;
    try {
      response = await nodeHttpRequest(target, { method: 'POST', headers, body: json, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new APIConnectionError({ cause: error instanceof Error ? error : new Error(String(error)) });
    }
    if (response.status < 200 || response.status > 299) {
      const text = textOf(response.body);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      throw APIError.generate(response.status, parsed as object | undefined, parsed ? undefined : text, headersOf(response.headers));
    }
    if (response.status === 204) return null;
    const mediaType = response.headers['content-type']?.split(';')[0]?.trim();
    if (mediaType?.includes('application/json') || mediaType?.endsWith('+json')) {
      if (response.headers['content-length'] === '0') return undefined;
      return JSON.parse(textOf(response.body)) as unknown;
    }
    return textOf(response.body);
  };
}

/** UTF-8 without a leading byte-order mark, as fetch's text() and json() read a body. */
function textOf(body: Buffer): string {
  const text = body.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
