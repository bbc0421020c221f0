import { describe, expect, it } from 'vitest';
import {
  isNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  ProviderError,
  providerErrorFromStatus,
  redactSecret,
} from './provider-error.ts';

describe('ProviderError', () => {
  it('is recognised by its marker, even from another copy of the module', () => {
    const error = new ProviderError('x', { provider: 'openai:m', kind: 'server', retryable: true, status: 500 });
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect(ProviderError.isInstance({ [Symbol.for('firstcall.ProviderError')]: true })).toBe(true);
    expect(ProviderError.isInstance(new Error('x'))).toBe(false);
    expect(ProviderError.isInstance(null)).toBe(false);
  });

  it('retries 408, 429 and 5xx only', () => {
    expect([400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504].filter(isRetryableStatus)).toEqual([408, 429, 500, 502, 503, 504]);
  });

  it('reads Retry-After as seconds or an HTTP-date, and retry-after-ms first', () => {
    const now = Date.parse('2026-03-02T09:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), now)).toBe(2_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 02 Mar 2026 09:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 02 Mar 2026 08:00:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2', 'retry-after-ms': '1500' }), now)).toBe(1_500);
    expect(parseRetryAfter({ 'Retry-After': '3' }, now)).toBe(3_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });

  it('classifies HTTP statuses, keeping Retry-After only when retrying makes sense', () => {
    const headers = new Headers({ 'retry-after': '4' });
    expect(providerErrorFromStatus({ provider: 'p:m', status: 503, headers })).toMatchObject({ retryable: true, kind: 'server', retryAfterMs: 4_000 });
    expect(providerErrorFromStatus({ provider: 'p:m', status: 408 })).toMatchObject({ retryable: true, kind: 'timeout' });
    const forbidden = providerErrorFromStatus({ provider: 'p:m', status: 403, headers, detail: 'no access' });
    expect(forbidden).toMatchObject({ retryable: false, kind: 'auth', message: 'p:m: HTTP 403: no access' });
    expect(forbidden.retryAfterMs).toBeUndefined();
  });

  it('recognises network failures and redacts secrets', () => {
    expect(isNetworkError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }))).toBe(true);
    expect(isNetworkError(new Error('nope'))).toBe(false);
    expect(redactSecret('bad key sk-abc123 (sk-abc123)', 'sk-abc123')).toBe('bad key [redacted] ([redacted])');
    expect(redactSecret('text', undefined)).toBe('text');
  });
});
