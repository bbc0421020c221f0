// The run's response cache, served to its workers over Redis. A simulated conversation runs whole on
// a worker, and its calls (the model playing the customer, the candidate) look up and record in the
// folder of the process that started the run, as they would had the conversation run there: the
// recordings have one home whichever machine made them, so a rerun is free on any worker and
// `--cache replay` (CI without keys) replays the writer's folder on every worker.
//
// Plain Redis lists, under the run's channel name: a worker LPUSHes a request ({id, op: get, key} or
// {id, op: put, entry}) to `firstcall:cache:<channel>:requests` and BLPOPs
// `firstcall:cache:<channel>:reply:<id>`; the writer BLPOPs the requests and LPUSHes each reply (kept a
// minute, for a worker that gave up waiting). Everything that comes out of Redis is checked: a key is a
// sha256 in hex before it names a file, and an entry must parse.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { CachedEntry, CACHE_KEY, createResponseCache, type ResponseCache, type ResponseCacheMode, type ResponseCacheStats } from '../providers/response-cache.ts';
import { closeRedis, REDIS_PREFIX, redisOptions } from './redis-options.ts';

const keys = (channel: string) => ({
  requests: `${REDIS_PREFIX}:cache:${channel}:requests`,
  reply: (id: string) => `${REDIS_PREFIX}:cache:${channel}:reply:${id}`,
});

/** A channel's name (the writer's; a worker is told it in the job). */
export const CacheChannelName = z.string().regex(/^[0-9a-f-]{36}$/, 'not a cache channel name');

const Request = z.discriminatedUnion('op', [
  z.object({ id: z.string().uuid(), op: z.literal('get'), key: z.string().regex(CACHE_KEY) }),
  z.object({ id: z.string().uuid(), op: z.literal('put'), entry: CachedEntry }),
]);
type Request = z.infer<typeof Request>;

const Reply = z.union([z.object({ entry: CachedEntry.nullable() }), z.object({ ok: z.literal(true) }), z.object({ error: z.string() })]);
type Reply = z.infer<typeof Reply>;

/** Connection errors reach the commands that fail because of them; the event itself is not logged as unhandled. */
const quiet = (redis: Redis) => redis.on('error', () => undefined);

/** How long a reply waits in Redis for the worker that asked. */
const REPLY_TTL_S = 60;

export interface CacheChannel {
  readonly name: string;
  /** Stops answering (requests still queued are dropped with the list). */
  close(): Promise<void>;
}

/**
 * Serves `cache`'s folder to workers until closed. Lookups and recordings made here are not counted in
 * `cache`'s stats: the workers count what their calls did and send the counts back with each conversation.
 */
export async function serveResponseCache(url: string, cache: ResponseCache): Promise<CacheChannel> {
  const name = randomUUID();
  const { requests, reply } = keys(name);
  const folder = createResponseCache({ mode: 'read', dir: cache.dir });
  const sender = quiet(new Redis(redisOptions(url)));
  try {
    await sender.ping(); // fails after a few tries when Redis is not there (the listener would wait for it forever)
  } catch (error) {
    sender.disconnect();
    throw new Error(`the run's response cache cannot be served over Redis: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const listener = quiet(new Redis(redisOptions(url, { blocking: true })));
  let closed = false;
  const inFlight = new Set<Promise<void>>();

  const answer = async (request: Request): Promise<Reply> => {
    if (request.op === 'get') return { entry: (await folder.get(request.key)) ?? null };
    try {
      await folder.put(request.entry);
      return { ok: true };
    } catch (error) {
      return { error: `the run's response cache could not record the answer: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
  const handle = async (raw: string) => {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return; // not a request at all: nobody to answer
    }
    const parsed = Request.safeParse(json);
    const id = (json as { id?: unknown } | null)?.id;
    if (!parsed.success) {
      if (typeof id === 'string' && z.string().uuid().safeParse(id).success) await send(id, { error: `bad cache request: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
      return;
    }
    await send(parsed.data.id, await answer(parsed.data));
  };
  const send = async (id: string, value: Reply) => {
    await sender.multi().lpush(reply(id), JSON.stringify(value)).expire(reply(id), REPLY_TTL_S).exec();
  };

  const loop = (async () => {
    while (!closed) {
      let got: [string, string] | null;
      try {
        got = await listener.blpop(requests, 1);
      } catch (error) {
        if (closed) return;
        throw error;
      }
      if (!got) continue;
      const work = handle(got[1]).catch((error: unknown) => console.error(`response cache channel: ${error instanceof Error ? error.message : String(error)}`));
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    }
  })();
  loop.catch((error: unknown) => console.error(`response cache channel stopped: ${error instanceof Error ? error.message : String(error)}`));

  return {
    name,
    async close() {
      closed = true;
      listener.disconnect();
      await loop.catch(() => undefined);
      await Promise.all(inFlight);
      await sender.del(requests).catch(() => undefined);
      await closeRedis(sender);
    },
  };
}

export interface ChannelCacheOptions {
  url: string;
  channel: string;
  mode: ResponseCacheMode;
  /** Where the recordings are, as the writer named it (shown in replay errors). */
  dir: string;
  /** How long to wait for the writer's answer (default 30 s). */
  timeoutMs?: number;
}

/** A response cache whose entries live with the writer, reached over its channel; close it after use. */
export function channelResponseCache(options: ChannelCacheOptions): ResponseCache & { close(): Promise<void> } {
  const { requests, reply } = keys(CacheChannelName.parse(options.channel));
  const timeoutS = Math.max(0.01, (options.timeoutMs ?? 30_000) / 1000);
  const stats: ResponseCacheStats = { hits: 0, misses: 0, writes: 0, writeErrors: 0 };
  let connections: { sender: Redis; waiter: Redis } | undefined;
  // One question at a time: the waiting connection blocks on each reply.
  let tail: Promise<unknown> = Promise.resolve();

  const ask = (request: { op: 'get'; key: string } | { op: 'put'; entry: CachedEntry }): Promise<Reply> => {
    const next = tail.then(async () => {
      connections ??= { sender: quiet(new Redis(redisOptions(options.url))), waiter: quiet(new Redis(redisOptions(options.url, { blocking: true }))) };
      const id = randomUUID();
      await connections.sender.lpush(requests, JSON.stringify({ ...request, id }));
      const got = await connections.waiter.blpop(reply(id), timeoutS);
      if (!got) throw new Error(`the run's response cache (${options.dir}) did not answer within ${timeoutS} s: has the process that started the run stopped?`);
      const parsed = Reply.safeParse(JSON.parse(got[1]));
      if (!parsed.success) throw new Error("the run's response cache sent something that is not a reply");
      return parsed.data;
    });
    tail = next.catch(() => undefined);
    return next;
  };

  return {
    mode: options.mode,
    dir: options.dir,
    async get(key) {
      const answer = await ask({ op: 'get', key });
      if ('error' in answer) throw new Error(answer.error);
      const entry = 'entry' in answer && answer.entry?.key === key ? answer.entry : undefined;
      if (entry) stats.hits++;
      else stats.misses++;
      return entry;
    },
    async put(entry) {
      const answer = await ask({ op: 'put', entry }).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
      if ('error' in answer) {
        stats.writeErrors++;
        throw new Error(answer.error);
      }
      stats.writes++;
    },
    stats: () => ({ ...stats }),
    async close() {
      await tail;
      if (connections) await Promise.all([closeRedis(connections.sender), closeRedis(connections.waiter)]);
    },
  };
}
