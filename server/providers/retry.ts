// Calling a model with a per-call timeout and retries: exponential backoff with full jitter, never
// sooner than the server's Retry-After. Only errors marked retryable (429, 5xx, network, timeout)
// are retried.

export interface RetryOptions {
  retries: number;
  timeoutMs: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class CallTimeoutError extends Error {
  readonly retryable = true;
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'CallTimeoutError';
  }
}

/** An error that gave up after `attempts` tries. */
export class CallFailedError extends Error {
  constructor(
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'CallFailedError';
  }
}

interface RetryHints {
  retryable?: boolean;
  retryAfterMs?: number;
}

const hints = (error: unknown): RetryHints => (typeof error === 'object' && error !== null ? (error as RetryHints) : {});

export function backoffDelay(attempt: number, error: unknown, options: RetryOptions): number {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const jittered = Math.min(max, base * 2 ** attempt) * (options.random ?? Math.random)();
  return Math.max(jittered, Math.min(hints(error).retryAfterMs ?? 0, 5 * 60_000));
}

export async function withRetry<T>(call: (signal: AbortSignal) => Promise<T>, options: RetryOptions): Promise<{ value: T; attempts: number }> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new CallTimeoutError(options.timeoutMs)), options.timeoutMs);
    try {
      const value = await Promise.race([
        call(controller.signal),
        new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })),
      ]);
      return { value, attempts: attempt + 1 };
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      if (!hints(reason).retryable || attempt >= options.retries) throw new CallFailedError(attempt + 1, reason);
      await sleep(backoffDelay(attempt, reason, options));
    } finally {
      clearTimeout(timer);
    }
  }
}
