// The run's response cache over a real redis-server: a worker's lookups and recordings land in the
// writer's folder (counted on the worker's side only), what comes out of Redis is checked before it
// names a file, and a worker whose writer has gone gets a clear error instead of waiting forever.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResponseCache, responseCacheKey, type CachedEntry } from '../providers/response-cache.ts';
import { redisUnavailable, startRedisServer, type RedisServer } from '../test-support/redis-server.ts';
import { tempDir } from '../test-support/temp.ts';
import { channelResponseCache, serveResponseCache } from './cache-channel.ts';
import { REDIS_PREFIX } from './redis-options.ts';

const missing = redisUnavailable();
if (missing) console.warn(`skipping the response cache channel tests: ${missing}`);

const entryFor = (key: string, text: string): CachedEntry => ({
  version: 1,
  key,
  provider: 'openai',
  recorded_at: new Date(0).toISOString(),
  latency_ms: 12,
  result: { text, model: 'gpt-test' },
  request: { params: {}, messages: [{ role: 'user', content: text }] },
});

describe.skipIf(missing !== undefined)('the response cache channel', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it("records and finds entries in the writer's folder, counting them on the worker's side only", async () => {
    const dir = tempDir();
    const writerCache = createResponseCache({ mode: 'read', dir });
    const channel = await serveResponseCache(redis.url, writerCache);
    const remote = channelResponseCache({ url: redis.url, channel: channel.name, mode: 'read', dir });
    try {
      const key = responseCacheKey('openai:gpt-test', { messages: [{ role: 'user', content: '你好，我的订单' }], params: { temperature: 0, max_tokens: 100 } });
      expect(await remote.get(key)).toBeUndefined();
      await remote.put(entryFor(key, '你好，我的订单'));
      expect(existsSync(join(dir, key.slice(0, 2), `${key}.json`))).toBe(true);
      expect((await remote.get(key))?.result.text).toBe('你好，我的订单');
      // Written by the worker, found by the writer itself (one folder).
      expect((await createResponseCache({ dir }).get(key))?.result.text).toBe('你好，我的订单');
      expect(remote.stats()).toEqual({ hits: 1, misses: 1, writes: 1, writeErrors: 0 });
      expect(writerCache.stats()).toEqual({ hits: 0, misses: 0, writes: 0, writeErrors: 0 });
    } finally {
      await remote.close();
      await channel.close();
    }
  });

  it('refuses a key that is not a sha256 before it names a file, and answers a malformed request with an error', async () => {
    const parent = tempDir();
    const dir = join(parent, 'cache');
    const channel = await serveResponseCache(redis.url, createResponseCache({ dir }));
    const remote = channelResponseCache({ url: redis.url, channel: channel.name, mode: 'read', dir });
    const raw = new Redis(redis.url);
    try {
      await expect(remote.get('../../escape')).rejects.toThrow(/bad cache request/);
      await expect(remote.put(entryFor('../escape', 'x'))).rejects.toThrow(/bad cache request/);
      expect(remote.stats().writeErrors).toBe(1);
      // Sent straight into Redis, past the worker's client: still refused, nothing written anywhere.
      const id = randomUUID();
      await raw.lpush(`${REDIS_PREFIX}:cache:${channel.name}:requests`, JSON.stringify({ id, op: 'put', entry: entryFor('../../../escape', 'x') }));
      const reply = await raw.blpop(`${REDIS_PREFIX}:cache:${channel.name}:reply:${id}`, 5);
      expect(JSON.parse(reply![1])).toMatchObject({ error: expect.stringMatching(/bad cache request/) });
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      raw.disconnect();
      await remote.close();
      await channel.close();
    }
  });

  it('tells a worker whose writer has stopped that nobody answered, instead of waiting forever', async () => {
    const dir = tempDir();
    const channel = await serveResponseCache(redis.url, createResponseCache({ dir }));
    await channel.close();
    const remote = channelResponseCache({ url: redis.url, channel: channel.name, mode: 'replay', dir, timeoutMs: 300 });
    try {
      const key = responseCacheKey('openai:gpt-test', { messages: [{ role: 'user', content: 'hello' }], params: { temperature: 0, max_tokens: 100 } });
      await expect(remote.get(key)).rejects.toThrow(/did not answer within 0.3 s: has the process that started the run stopped/);
    } finally {
      await remote.close();
    }
  });
});

describe('the response cache channel without Redis', () => {
  it('fails to start with a message that says so, instead of waiting for Redis forever', async () => {
    await expect(serveResponseCache('redis://127.0.0.1:1', createResponseCache({ dir: tempDir() }))).rejects.toThrow(/the run's response cache cannot be served over Redis/);
  });
});
