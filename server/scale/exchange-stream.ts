// Exchanges answered by replicas reach the store through a Redis stream: a replica appends each
// logged exchange (XADD); the primary reads them as a consumer group and acknowledges an entry only
// after the store has it (XACK), so nothing is lost when the primary stops or crashes: on start it
// first re-reads what it had read but not acknowledged.
import { Redis } from 'ioredis';
import { z } from 'zod';
import { Language, Turn } from '../domain/dialogue.ts';
import type { DialogueCaller, ProductionExchange } from '../storage/production-dialogue-repository.ts';
import { closeRedis, REDIS_PREFIX, redisOptions } from './redis-options.ts';

export const EXCHANGES_STREAM = `${REDIS_PREFIX}:exchanges`;
const GROUP = 'store';

const LoggedExchange = z.object({
  exchange: z.object({
    id: z.string().min(1),
    channel: z.string().min(1),
    customerId: z.string().nullable(),
    language: Language,
    turns: z.array(Turn).min(1),
    escalated: z.boolean(),
    metadata: z.record(z.string(), z.unknown()),
  }),
  caller: z.object({ keyId: z.string(), channel: z.string() }),
  continues: z.boolean(),
});
export type LoggedExchange = z.infer<typeof LoggedExchange>;

/** An exchange as one stream entry's `exchange` field (checked, so a malformed one never reaches the stream). */
export function exchangeEntry(exchange: ProductionExchange, caller: DialogueCaller, continues: boolean): string {
  return JSON.stringify(LoggedExchange.parse({ exchange, caller, continues }));
}

/** A replica's side: append one exchange. */
export class ExchangeLog {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(redisOptions(url));
  }

  async append(exchange: ProductionExchange, caller: DialogueCaller, continues: boolean): Promise<void> {
    await this.redis.xadd(EXCHANGES_STREAM, '*', 'exchange', exchangeEntry(exchange, caller, continues));
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }
}

export interface DrainOptions {
  url: string;
  /** Writes one exchange to the store (the primary's repository); a throw leaves the entry for the next try. */
  save: (exchange: ProductionExchange, caller: DialogueCaller, continues: boolean) => Promise<void>;
  /** An entry the store refused for good (e.g. a foreign dialogue id): logged and acknowledged. */
  onRejected?: (error: unknown, entry: unknown) => void;
  consumer?: string;
  blockMs?: number;
}

export interface Drain {
  /** Entries written to the store so far. */
  readonly saved: number;
  close(): Promise<void>;
}

/** Drains the stream into the store until closed. */
export async function drainExchanges(options: DrainOptions): Promise<Drain> {
  const redis = new Redis(redisOptions(options.url, { blocking: true }));
  const consumer = options.consumer ?? 'primary';
  try {
    await redis.xgroup('CREATE', EXCHANGES_STREAM, GROUP, '0', 'MKSTREAM');
  } catch (error) {
    if (!(error instanceof Error && /BUSYGROUP/.test(error.message))) throw error;
  }
  let closing = false;
  let saved = 0;
  // Commands waiting for a Redis that has gone away never settle (they wait to be resent): closing
  // cuts them, so that the loop ends without waiting for Redis to come back.
  let cut!: (error: Error) => void;
  const cutOff = new Promise<never>((_, reject) => (cut = reject));
  cutOff.catch(() => undefined);
  const unlessCut = <T>(command: Promise<T>): Promise<T> => Promise.race([command, cutOff]);
  const handle = async (id: string, fields: string[]) => {
    const raw = fields[fields.indexOf('exchange') + 1];
    let entry: LoggedExchange | undefined;
    try {
      entry = LoggedExchange.parse(JSON.parse(raw ?? 'null'));
    } catch (error) {
      options.onRejected?.(error, raw);
    }
    if (entry) {
      try {
        await options.save(entry.exchange as ProductionExchange, entry.caller, entry.continues);
        saved++;
      } catch (error) {
        // A client error (4xx: not continuable, foreign dialogue) will never succeed; anything else is retried.
        const status = (error as { status?: number }).status;
        if (status === undefined || status >= 500) throw error;
        options.onRejected?.(error, entry);
      }
    }
    await unlessCut(redis.xack(EXCHANGES_STREAM, GROUP, id));
  };
  const loop = (async () => {
    // First what this consumer read before but did not acknowledge, then new entries.
    let cursor = '0';
    while (!closing) {
      try {
        const reply = (await unlessCut(redis.xreadgroup('GROUP', GROUP, consumer, 'COUNT', 200, 'BLOCK', options.blockMs ?? 1000, 'STREAMS', EXCHANGES_STREAM, cursor))) as [string, [string, string[]][]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (cursor === '0' && entries.length === 0) cursor = '>';
        for (const [id, fields] of entries) await handle(id, fields);
      } catch (error) {
        if (closing) break;
        console.error(`firstcall: draining replica exchanges failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
        cursor = '0';
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();
  return {
    get saved() {
      return saved;
    },
    close: async () => {
      closing = true;
      // The loop stops after its current read (at most blockMs) and the entries it holds; when Redis
      // has gone away the read never returns, so it is cut after a grace period (an entry stored but
      // not acknowledged then is read again at the next start, as after a crash).
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, (options.blockMs ?? 1000) + 2000)));
      await Promise.race([loop, grace]);
      clearTimeout(timer);
      cut(new Error('the exchange stream reader was closed'));
      redis.disconnect();
      await loop;
    },
  };
}
