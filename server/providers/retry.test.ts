import { describe, expect, it } from 'vitest';
import { CallFailedError, CallTimeoutError, backoffDelay, withRetry } from './retry.ts';

const retryable = (retryAfterMs?: number) => Object.assign(new Error('busy'), { retryable: true, retryAfterMs });
const fatal = () => Object.assign(new Error('bad request'), { retryable: false });

describe('withRetry', () => {
  it('retries retryable failures with growing jittered delays and returns the first success', async () => {
    const waits: number[] = [];
    let calls = 0;
    const { value, attempts } = await withRetry(
      async () => {
        if (++calls < 4) throw retryable();
        return 'ok';
      },
      { retries: 5, timeoutMs: 1000, baseDelayMs: 100, random: () => 1, sleep: async (ms) => void waits.push(ms) },
    );
    expect(value).toBe('ok');
    expect(attempts).toBe(4);
    expect(waits).toEqual([100, 200, 400]);
  });

  it('waits at least as long as Retry-After says', async () => {
    const waits: number[] = [];
    let calls = 0;
    await withRetry(
      async () => {
        if (++calls === 1) throw retryable(2000);
        return 'ok';
      },
      { retries: 2, timeoutMs: 1000, baseDelayMs: 100, random: () => 0.5, sleep: async (ms) => void waits.push(ms) },
    );
    expect(waits).toEqual([2000]);
  });

  it('gives up at once on a non-retryable error and reports the attempts', async () => {
    const error = await withRetry(async () => Promise.reject(fatal()), { retries: 5, timeoutMs: 1000, sleep: async () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallFailedError);
    expect((error as CallFailedError).attempts).toBe(1);
    expect((error as CallFailedError).message).toBe('bad request');
  });

  it('stops after the configured retries', async () => {
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls++;
        throw retryable();
      },
      { retries: 2, timeoutMs: 1000, sleep: async () => {} },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect((error as CallFailedError).attempts).toBe(3);
  });

  it('aborts a call that exceeds the timeout, passes the abort signal, and retries it', async () => {
    const signals: AbortSignal[] = [];
    let calls = 0;
    const { value } = await withRetry(
      (signal) => {
        signals.push(signal);
        if (++calls === 1) return new Promise<string>(() => {}); // never answers
        return Promise.resolve('second try');
      },
      { retries: 1, timeoutMs: 30, sleep: async () => {} },
    );
    expect(value).toBe('second try');
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toBeInstanceOf(CallTimeoutError);
  });

  it('caps the backoff at the maximum delay', () => {
    expect(backoffDelay(20, new Error('x'), { retries: 30, timeoutMs: 1, baseDelayMs: 500, maxDelayMs: 30_000, random: () => 1 })).toBe(30_000);
  });
});
