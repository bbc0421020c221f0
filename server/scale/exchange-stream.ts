// Exchanges answered by replicas reach the store through a Redis stream: a replica appends each
// logged exchange (XADD); the primary reads them as a consumer group and acknowledges an entry only
// after the store has it (XACK), so nothing is lost when the primary stops or crashes: on start it
// first re-reads what it had read but not acknowledged.
import { Redis } from 'ioredis';
import { z } from 'zod';
import { Language, Turn } from '../domain/dialogue.ts';
import type { DialogueCaller, ProductionExchange } from '../storage/production-dialogue-repository.ts';
import { REDIS_PREFIX, redisOptions } from './redis-options.ts';

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

/** A replica's side: append one exchange. */
export class ExchangeLog {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(redisOptions(url));
  }

  async append(exchange: ProductionExchange, caller: DialogueCaller, continues: boolean): Promise<void> {
    const entry: LoggedExchange = LoggedExchange.parse({ exchange, caller, continues });
    await this.redis.xadd(EXCHANGES_STREAM, '*', 'exchange', JSON.stringify(entry));
  }

  async close(): Promise<void> {
    await this.redis.quit();
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
    await redis.xack(EXCHANGES_STREAM, GROUP, id);
  };
  const loop = (async () => {
    // First what this consumer read before but did not acknowledge, then new entries.
    let cursor = '0';
    while (!closing) {
      try {
        const reply = (await redis.xreadgroup('GROUP', GROUP, consumer, 'COUNT', 200, 'BLOCK', options.blockMs ?? 1000, 'STREAMS', EXCHANGES_STREAM, cursor)) as [string, [string, string[]][]][] | null;
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
      await loop;
      redis.disconnect();
    },
  };
}
