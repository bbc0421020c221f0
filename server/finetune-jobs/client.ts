// The `openai` client for fine-tuning calls (OpenAI or any OpenAI-compatible service), and the one
// place SDK errors become AppErrors. The key is never logged, and is redacted from every message.
import type OpenAI from 'openai';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AppError } from '../domain/errors.ts';
import { OPENAI_DEFAULT_BASE_URL, openAIClient, openAIConnection } from '../providers/openai-client.ts';
import { errorBodyMessage, redactSecret } from '../providers/provider-error.ts';

export interface FineTuneClientOptions {
  /** Default: env FIRSTCALL_OPENAI_BASE_URL, then OPENAI_BASE_URL, then https://api.openai.com/v1. */
  baseURL?: string;
  /** Default: env FIRSTCALL_OPENAI_API_KEY, then OPENAI_API_KEY. Optional with a custom base URL. */
  apiKey?: string;
  fetch?: typeof fetch;
  /** Per request (default 120 s: uploads can be large). */
  timeoutMs?: number;
  /** Where the defaults are read from (process.env by default). */
  env?: Record<string, string | undefined>;
}

export interface FineTuneClient {
  openai: OpenAI;
  /** Where the calls go, for messages (never the key). */
  baseURL: string;
  /** Turns whatever a call threw into an AppError; `what` says what was being done. */
  fail(what: string, error: unknown): AppError;
}

export function createFineTuneClient(options: FineTuneClientOptions = {}): FineTuneClient {
  const env = options.env ?? process.env;
  const connection = openAIConnection(options, env);
  // Creating a job is not idempotent: a retried POST could start a second paid job (the SDK never retries).
  const openai = openAIClient(connection, 'fine-tuning', { fetch: options.fetch, timeoutMs: options.timeoutMs ?? 120_000 });
  const { baseURL, apiKey } = connection;
  const where = baseURL ?? OPENAI_DEFAULT_BASE_URL;
  return { openai, baseURL: where, fail: (what, error) => toAppError(what, where, error, apiKey) };
}

export function toAppError(what: string, baseURL: string, error: unknown, apiKey: string | undefined): AppError {
  if (AppError.isInstance(error)) return error;
  const redact = (text: string) => redactSecret(text, apiKey);
  if (error instanceof APIUserAbortError) return new AppError('provider', `${what}: the request was aborted`);
  if (error instanceof APIConnectionTimeoutError) return new AppError('provider', `${what}: ${baseURL} did not answer in time`);
  if (error instanceof APIConnectionError) {
    return new AppError('provider', redact(`${what}: cannot reach ${baseURL} (${describeCause(error)})`));
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    // The server's own words, without the SDK's "400 " prefix.
    const detail = redact(errorBodyMessage(error.error) ?? error.message.replace(/^\d{3} /, '').replace(/^status code \(no body\)$/, ''));
    const said = detail ? `: ${detail}` : '';
    if (status === 401) {
      return new AppError('usage', `${what}: ${baseURL} refused the API key (HTTP 401${said}); check the API key (FIRSTCALL_OPENAI_API_KEY or OPENAI_API_KEY)`);
    }
    if (status === 403) return new AppError('forbidden', `${what}: HTTP 403${said}`);
    if (status === 404) return new AppError('not_found', `${what}: HTTP 404${said}`);
    if (status === 429) return new AppError('rate_limited', `${what}: HTTP 429${said}`);
    if (status < 500) return new AppError('validation', `${what}: HTTP ${status}${said}`);
    return new AppError('provider', `${what}: ${baseURL} failed (HTTP ${status}${said})`);
  }
  return new AppError('provider', redact(`${what}: ${error instanceof Error ? error.message : String(error)}`));
}

function describeCause(error: APIConnectionError): string {
  for (let e: unknown = error.cause, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return error.message;
}
