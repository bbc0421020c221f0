// Where OpenAI calls go and the `openai` SDK client that makes them, for the openai provider and the
// fine-tuning jobs client alike: options first, then firstcall's environment variables, then
// OpenAI's own; everything read from the `env` given, nothing from process.env behind our back.
import OpenAI from 'openai';
import { AppError } from '../domain/errors.ts';
import { firstSet } from './provider-options.ts';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAIConnection {
  /** Unset: OpenAI itself (OPENAI_DEFAULT_BASE_URL). */
  baseURL: string | undefined;
  /** Unset: no key is sent (a local OpenAI-compatible server). */
  apiKey: string | undefined;
  organization: string | undefined;
  project: string | undefined;
}

export function openAIConnection(options: { baseURL?: string; apiKey?: string; organization?: string }, env: Record<string, string | undefined>): OpenAIConnection {
  return {
    baseURL: firstSet(options.baseURL, env.FIRSTCALL_OPENAI_BASE_URL, env.OPENAI_BASE_URL),
    apiKey: firstSet(options.apiKey, env.FIRSTCALL_OPENAI_API_KEY, env.OPENAI_API_KEY),
    organization: firstSet(options.organization, env.OPENAI_ORG_ID),
    project: firstSet(env.OPENAI_PROJECT_ID),
  };
}

/**
 * The SDK client on a connection, which must have a key or a base URL (`who` names what needs it in
 * the error). The SDK never retries: a retried call is the caller's decision.
 */
export function openAIClient(connection: OpenAIConnection, who: string, client: { fetch?: typeof fetch; timeoutMs: number }): OpenAI {
  if (!connection.apiKey && !connection.baseURL) {
    throw new AppError('usage', `${who} needs an API key: set FIRSTCALL_OPENAI_API_KEY or OPENAI_API_KEY (or a base URL for an OpenAI-compatible server)`);
  }
  return new OpenAI({
    // A local server usually wants no key, but the SDK insists on one: send none at all.
    apiKey: connection.apiKey ?? 'none',
    ...(connection.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
    adminAPIKey: null,
    baseURL: connection.baseURL ?? null,
    organization: connection.organization ?? null,
    project: connection.project ?? null,
    ...(client.fetch ? { fetch: client.fetch } : {}),
    maxRetries: 0,
    timeout: client.timeoutMs,
    logLevel: 'off',
  });
}
