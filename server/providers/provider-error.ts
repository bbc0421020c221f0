// The one error every provider throws for a failed call: retryable or not, with the HTTP status and
// the server's Retry-After when there was one. The eval runner retries on `retryable` and records
// the rest as failed cases; only bad configuration (an AppError 'usage') stops a run.
const MARKER = Symbol.for('firstcall.ProviderError');

export const PROVIDER_ERROR_KINDS = [
  /** 429. */
  'rate_limited',
  /** 5xx. */
  'server',
  /** 408, or no complete answer within the provider's timeout. */
  'timeout',
  /** Connection refused, reset, DNS. */
  'network',
  /** The caller aborted (its AbortSignal fired): not retried. */
  'aborted',
  /** 401, 403. */
  'auth',
  /** Any other 4xx, or a request the client library refused to send. */
  'bad_request',
  /** 2xx with a body that is not a usable answer. */
  'malformed',
  /** An offline provider has nothing to answer with (e.g. replay:human on a case with no reply). */
  'no_answer',
] as const;
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

export interface ProviderErrorOptions {
  /** `provider:model` of the provider that failed. */
  provider: string;
  kind: ProviderErrorKind;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

export class ProviderError extends Error {
  readonly [MARKER] = true;
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly retryable: boolean;
  readonly status?: number;
  /** How long the server asked us to wait before retrying, when it said so. */
  readonly retryAfterMs?: number;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = options.provider;
    this.kind = options.kind;
    this.retryable = options.retryable;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  static isInstance(error: unknown): error is ProviderError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}

/** 408, 429 and 5xx are worth retrying; every other 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined> | null | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The wait a response asks for, in ms: `retry-after-ms` (a common extension, OpenAI sends it),
 * else `Retry-After` as seconds or as an HTTP-date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const value = header(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function kindOfStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  if (status === 401 || status === 403) return 'auth';
  return 'bad_request';
}

/** An error for a non-2xx HTTP answer. `detail` is the server's message, if any (kept short). */
export function providerErrorFromStatus(options: {
  provider: string;
  status: number;
  headers?: HeaderSource;
  detail?: string | undefined;
}): ProviderError {
  const { provider, status } = options;
  const retryable = isRetryableStatus(status);
  const retryAfterMs = retryable ? parseRetryAfter(options.headers) : undefined;
  const detail = options.detail ? `: ${truncate(options.detail, 300)}` : '';
  return new ProviderError(`${provider}: HTTP ${status}${detail}`, {
    provider,
    kind: kindOfStatus(status),
    retryable,
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

export function timeoutError(provider: string, timeoutMs: number, cause?: unknown): ProviderError {
  return new ProviderError(`${provider}: no answer within ${timeoutMs} ms`, { provider, kind: 'timeout', retryable: true, cause });
}

export function abortedError(provider: string): ProviderError {
  return new ProviderError(`${provider}: the request was aborted`, { provider, kind: 'aborted', retryable: false });
}

export function networkError(provider: string, cause: unknown): ProviderError {
  return new ProviderError(`${provider}: connection failed (${describeNetworkCause(cause)})`, {
    provider,
    kind: 'network',
    retryable: true,
    cause,
  });
}

export function malformedResponse(provider: string, detail: string, cause?: unknown): ProviderError {
  return new ProviderError(`${provider}: malformed response: ${truncate(detail, 300)}`, {
    provider,
    kind: 'malformed',
    retryable: false,
    cause,
  });
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A failure below HTTP: undici's `TypeError: fetch failed` / `terminated`, or a socket error code. */
export function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = errorCode(e);
    if (code && NETWORK_CODES.has(code)) return true;
    if (e instanceof TypeError && /fetch failed|terminated|other side closed|socket/i.test(e.message)) return true;
  }
  return false;
}

function describeNetworkCause(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = errorCode(e);
    if (code) return code;
  }
  return error instanceof Error ? error.message : String(error);
}

/** An AbortSignal firing (fetch's DOMException or an SDK's wrapper of it). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** Removes a secret (an API key) from text that may echo it, e.g. a server's error message. */
export function redactSecret(text: string, secret: string | null | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The human message inside a typical JSON error body (`{error: string | {message}}`, `detail`, `message`). */
export function errorBodyMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  for (const key of ['detail', 'message'] as const) {
    if (typeof record[key] === 'string') return record[key];
  }
  return undefined;
}
