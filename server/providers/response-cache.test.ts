import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../domain/eval.ts';
import { startMockOpenAI, type MockOpenAIServer } from '../test-support/mock-openai-server.ts';
import { createOpenAIProvider } from './openai.ts';
import { ProviderError } from './provider-error.ts';
import { canonicalJson, createResponseCache, responseCacheKey, withCache, type ResponseCacheMode } from './response-cache.ts';

const root = mkdtempSync(join(tmpdir(), 'firstcall-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshCache = (mode: ResponseCacheMode) => createResponseCache({ mode, dir: join(root, `c${dirs++}`) });

let server: MockOpenAIServer;
beforeAll(async () => {
  server = await startMockOpenAI({
    handler: ({ body }) => {
      const last = (body as { messages: Array<{ content: string }> }).messages.at(-1)?.content;
      return last === 'fail' ? { status: 500, body: { error: { message: 'boom' } } } : undefined;
    },
  });
});
afterAll(() => server.close());

const openai = () => createOpenAIProvider({ model: 'gpt-test', baseURL: server.url, apiKey: 'sk-cache', env: {} });
const ask = (content: string, params: Partial<GenerateRequest['params']> = {}): GenerateRequest => ({
  messages: [{ role: 'user', content }],
  params: { temperature: 0, max_tokens: 100, ...params },
});

/** Runs `fn` and returns how many requests reached the server meanwhile. */
async function serverCalls(fn: () => Promise<unknown>): Promise<number> {
  const before = server.requests.length;
  await fn();
  return server.requests.length - before;
}

function files(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json') || f.endsWith('.tmp'));
  } catch {
    return [];
  }
}

describe('response cache', () => {
  it('read: the second identical call is a hit that never reaches the server', async () => {
    const cache = freshCache('read');
    const provider = withCache(openai(), cache);
    expect(provider.id).toBe('openai:gpt-test');
    let first: unknown;
    let second: unknown;
    expect(await serverCalls(async () => (first = await provider.generate(ask('退货流程是什么？'))))).toBe(1);
    expect(await serverCalls(async () => (second = await provider.generate(ask('退货流程是什么？'))))).toBe(0);
    expect(second).toEqual({ ...(first as object), cached: { latency_ms: expect.any(Number) } });
    expect(first).not.toHaveProperty('cached');
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, writes: 1, writeErrors: 0 });
  });

  it('read: different params or messages miss; an absent optional param equals an undefined one', async () => {
    const cache = freshCache('read');
    const provider = withCache(openai(), cache);
    await provider.generate(ask('hello'));
    expect(await serverCalls(() => provider.generate(ask('hello', { temperature: 0.7 })))).toBe(1);
    expect(await serverCalls(() => provider.generate(ask('hello', { seed: 1 })))).toBe(1);
    expect(await serverCalls(() => provider.generate(ask('hello again')))).toBe(1);
    expect(await serverCalls(() => provider.generate(ask('hello', { top_p: undefined })))).toBe(0);
  });

  it('keys cover provider, params and messages only (not the signal), and separate trials', () => {
    const request = ask('hi');
    const key = responseCacheKey('openai:m', request);
    const withExtras: GenerateRequest = { ...request, signal: new AbortController().signal };
    expect(responseCacheKey('openai:m', withExtras)).toBe(key);
    expect(responseCacheKey('openai:other', request)).not.toBe(key);
    expect(responseCacheKey('openai:m', request, 0)).toBe(key);
    expect(responseCacheKey('openai:m', request, 2)).not.toBe(key);
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [1, { z: 0, y: 1 }] } })).toBe('{"a":{"c":[1,{"y":1,"z":0}]},"b":1}');
  });

  it('off: always calls and never touches the directory', async () => {
    const cache = freshCache('off');
    const provider = withCache(openai(), cache);
    expect(await serverCalls(() => provider.generate(ask('x')))).toBe(1);
    expect(await serverCalls(() => provider.generate(ask('x')))).toBe(1);
    expect(files(cache.dir)).toEqual([]);
  });

  it('write: always calls and records, so a later read is a hit', async () => {
    const dir = join(root, 'write-then-read');
    const writer = withCache(openai(), createResponseCache({ mode: 'write', dir }));
    expect(await serverCalls(() => writer.generate(ask('y')))).toBe(1);
    expect(await serverCalls(() => writer.generate(ask('y')))).toBe(1);
    const reader = withCache(openai(), createResponseCache({ mode: 'read', dir }));
    expect(await serverCalls(() => reader.generate(ask('y')))).toBe(0);
  });

  it('replay: serves recordings and fails a miss without calling the provider', async () => {
    const dir = join(root, 'replay');
    await withCache(openai(), createResponseCache({ mode: 'read', dir })).generate(ask('recorded'));
    const replay = withCache(openai(), createResponseCache({ mode: 'replay', dir }));
    expect(await serverCalls(() => replay.generate(ask('recorded')))).toBe(0);
    let error: unknown;
    expect(await serverCalls(() => replay.generate(ask('never recorded')).catch((e: unknown) => (error = e)))).toBe(0);
    expect(ProviderError.isInstance(error) && error.retryable).toBe(false);
  });

  it('never records errors', async () => {
    const cache = freshCache('read');
    const provider = withCache(openai(), cache);
    await provider.generate(ask('fail')).catch(() => undefined);
    expect(await serverCalls(() => provider.generate(ask('fail')).catch(() => undefined))).toBe(1);
    expect(cache.stats().writes).toBe(0);
  });

  it('treats a corrupt entry as a miss and rewrites it', async () => {
    const cache = freshCache('read');
    const provider = withCache(openai(), cache);
    await provider.generate(ask('z'));
    const key = responseCacheKey(provider.id, ask('z'));
    writeFileSync(join(cache.dir, key.slice(0, 2), `${key}.json`), '{"version": 1, "key"');
    expect(await serverCalls(() => provider.generate(ask('z')))).toBe(1);
    expect(await serverCalls(() => provider.generate(ask('z')))).toBe(0);
  });

  it('never lets a key that is not a sha256 name a file (a miss to read, an error to write)', async () => {
    const cache = freshCache('read');
    expect(await cache.get('../escaped')).toBeUndefined();
    const entry = { version: 1 as const, key: '../escaped', provider: 'openai', recorded_at: '', latency_ms: 1, result: { text: 'x', model: 'm' }, request: { params: {}, messages: [] } };
    await expect(cache.put(entry)).rejects.toThrow(/not a response cache key/);
    expect(cache.stats()).toMatchObject({ misses: 1, writes: 0, writeErrors: 1 });
    expect(files(join(cache.dir, '..')).filter((f) => f.includes('escaped'))).toEqual([]);
  });

  it('stays consistent under concurrent calls (same and different requests)', async () => {
    const cache = freshCache('read');
    const provider = withCache(openai(), cache);
    const requests = Array.from({ length: 48 }, (_, i) => ask(`q${i % 12}`));
    await Promise.all(requests.map((r) => provider.generate(r)));
    const written = files(cache.dir);
    expect(written.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(written).toHaveLength(12);
    const again = await Promise.all(requests.map((r) => provider.generate(r)));
    expect(again.map((r) => r.text)).toEqual(requests.map((r) => `mock reply: ${r.messages[0]!.content}`));
    expect(cache.stats().hits).toBeGreaterThanOrEqual(48);
  });
});
