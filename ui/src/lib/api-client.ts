// The one HTTP client of the UI: adds the API key, parses every response with the shared zod
// schemas (so a server change that breaks the UI fails loudly), and turns error bodies into ApiError.
import type { z } from 'zod';
import { ErrorBody } from './contract.ts';

const MARKER = Symbol.for('firstcall.ui.ApiError');

export class ApiError extends Error {
  readonly [MARKER] = true;
  /** HTTP status; 0 for a network failure or a response that did not match the contract. */
  readonly status: number;
  /** The server's error code, or `network` / `bad_response`. */
  readonly code: string;
  /** What the error body carries besides code and message (e.g. a refused promotion's gate decision); parse it with the endpoint's schema. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  static isInstance(error: unknown): error is ApiError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}

export const isConflict = (error: unknown): boolean => ApiError.isInstance(error) && error.status === 409;
export const isUnauthorized = (error: unknown): boolean => ApiError.isInstance(error) && error.status === 401;

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** The browser cache mode (e.g. `no-store` for responses the server marks cacheable). */
  cache?: RequestCache;
  /** Use this key instead of the stored one (sign-in), and do not sign out on 401. */
  apiKey?: string;
}

export interface ApiClientOptions {
  fetch?: typeof fetch;
  baseUrl?: string;
  getApiKey: () => string | null;
  /** Called when the stored key is rejected (401): the session is over. */
  onUnauthorized?: (message: string) => void;
}

export interface ApiClient {
  /** Parses the JSON body with `schema`; pass `null` for endpoints that answer 204. */
  request<S extends z.ZodType>(schema: S, path: string, options?: RequestOptions): Promise<z.output<S>>;
  request(schema: null, path: string, options?: RequestOptions): Promise<void>;
  /** Fetches a file as a Blob (with the API key, which a plain `<a href>` cannot send). */
  requestBlob(path: string, options?: RequestOptions): Promise<Blob>;
}

export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    params.set(name, String(value));
  }
  const search = params.toString();
  return `${baseUrl}${path}${search ? `?${search}` : ''}`;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl ?? '';

  async function send(path: string, init: RequestOptions, accept: string): Promise<Response> {
    const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    const key = init.apiKey ?? options.getApiKey();
    const headers: Record<string, string> = { accept };
    if (key) headers.authorization = `Bearer ${key}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await doFetch(buildUrl(baseUrl, path, init.query), {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
        ...(init.cache ? { cache: init.cache } : {}),
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ApiError(0, 'network', `cannot reach the server (${error instanceof Error ? error.message : String(error)})`);
    }

    if (!response.ok) {
      const error = await errorFrom(response);
      if (response.status === 401 && init.apiKey === undefined) options.onUnauthorized?.(error.message);
      throw error;
    }
    return response;
  }

  async function request(schema: z.ZodType | null, path: string, init: RequestOptions = {}): Promise<unknown> {
    const response = await send(path, init, 'application/json');
    if (schema === null) return undefined;

    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new ApiError(0, 'bad_response', `${path}: the server's answer is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : '(root)';
      throw new ApiError(0, 'bad_response', `${path}: unexpected answer from the server at ${where}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }

  async function requestBlob(path: string, init: RequestOptions = {}): Promise<Blob> {
    const response = await send(path, init, '*/*');
    return response.blob();
  }

  return { request, requestBlob } as ApiClient;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: fall back to the status text
  }
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) {
    const { code: _code, message: _message, ...details } = (body as { error: Record<string, unknown> }).error;
    return new ApiError(response.status, parsed.data.error.code, parsed.data.error.message, details);
  }
  return new ApiError(response.status, `http_${response.status}`, `${response.status} ${response.statusText || 'error'}`.trim());
}

/** A message to show for any error thrown by a query or mutation. */
export function errorMessage(error: unknown): string {
  if (ApiError.isInstance(error)) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
