// Where Redis is: a redis:// or rediss:// URL turned into the connection options BullMQ and ioredis
// take, plus the one key prefix every firstcall structure in Redis lives under.
import type { Redis, RedisOptions } from 'ioredis';
import { z } from 'zod';

/** Every BullMQ queue and every other key firstcall keeps in Redis starts with this. */
export const REDIS_PREFIX = 'firstcall';

export const RedisUrl = z
  .string()
  .url('--redis wants a URL like redis://127.0.0.1:6379')
  .refine((u) => /^rediss?:\/\//.test(u), '--redis wants a redis:// or rediss:// URL');

/**
 * Connection options for a URL. `blocking`: for connections that wait on the server (BullMQ workers and
 * queue events, stream readers), which must retry commands forever instead of failing after a few tries.
 */
export function redisOptions(url: string, { blocking = false }: { blocking?: boolean } = {}): RedisOptions {
  const u = new URL(RedisUrl.parse(url));
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    ...(blocking ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 3 }),
  };
}

/**
 * Closes a connection: politely (QUIT, after the replies still due) when Redis is there, at once when
 * it is not, so that closing a process whose Redis has gone away never waits for it to come back.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}
