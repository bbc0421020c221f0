// Polling for tests of asynchronous propagation (replication over Redis): no wall-clock assertion, a
// generous limit only so that a test that never sees the value fails with a message.

/** Polls `check` every 50 ms until it returns a value; throws naming `what` after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
