// What an answer replica needs to answer `/v1/answer` and `/v1/chat/completions` without the store,
// mirrored in Redis beside the configs (config-mirror.ts):
// - the customers' records without their names (the anonymous view answering uses), and local:kb's
//   knowledge base already de-identified (no source customer's record): snapshots the primary writes
//   when it starts and again whenever the store's fingerprint changes (SnapshotPublisher);
// - per dialogue a replica or the primary logged: which API key and channel own it and its turns as
//   logged (redacted), so any replica can check who may continue it, and whether it can no longer
//   change (labeled, or frozen in a suite: the primary marks it within seconds); kept
//   DIALOGUE_TTL_SECONDS after its last exchange.
// A replica logs an exchange by appending it to the stream the primary drains into the store
// (exchange-stream.ts) in the same transaction as the dialogue's owner record. The store stays the
// judge: a continuation of a dialogue labeled in the seconds before the mark arrived is refused when
// drained (the primary logs it); after that the replica answers 409 as the primary does.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { Customer, Turn } from '../domain/dialogue.ts';
import type { BotConfig } from '../domain/promotion.ts';
import type { KbEntry } from '../providers/local-kb.ts';
import { closedDialogue, notContinuable, type ClosedReason, type DialogueCaller, type ProductionExchange } from '../storage/production-dialogue-repository.ts';
import type { ReplicaConfigs } from './config-mirror.ts';
import { EXCHANGES_STREAM, exchangeEntry } from './exchange-stream.ts';
import { closeRedis, REDIS_PREFIX, redisOptions } from './redis-options.ts';

export const CUSTOMERS_KEY = `${REDIS_PREFIX}:customers`;
export const KNOWLEDGE_BASE_KEY = `${REDIS_PREFIX}:knowledge-base`;
/** Announces a new knowledge-base snapshot (replicas rebuild local:kb from it). */
export const SNAPSHOTS_CHANNEL = `${REDIS_PREFIX}:snapshots:changed`;
/** A dialogue logged by a replica is continuable on replicas for this long after its last exchange (on the primary, always). */
export const DIALOGUE_TTL_SECONDS = 2 * 24 * 3600;
export const dialogueKey = (id: string) => `${REDIS_PREFIX}:dialogue:${id}`;

/** A customer's record as mirrored: never the name. */
export const AnonymousCustomer = Customer.omit({ name: true });
export type AnonymousCustomer = z.infer<typeof AnonymousCustomer>;

const MirroredKnowledgeBase = z.object({ entries: z.array(z.custom<KbEntry>((e) => typeof e === 'object' && e !== null && 'reply' in e && 'question' in e)) });

/** Writes per pipeline round trip at most. */
const CHUNK = 1000;
const digest = (json: string) => createHash('sha1').update(json).digest('base64');

/** A transaction's replies, throwing the first command's error (ioredis resolves them as pairs). */
async function exec(tx: ReturnType<Redis['multi']>): Promise<void> {
  const replies = await tx.exec();
  if (replies === null) throw new Error('the Redis transaction was aborted');
  for (const [error] of replies) if (error) throw error;
}

/** The primary's side: mirrors the customers (changes only) and the knowledge base. */
export class SnapshotPublisher {
  private readonly redis: Redis;
  /** Per customer id, the digest of what the mirror holds (null until first compared with Redis). */
  private customers: Map<string, string> | null = null;
  private knowledgeBase: string | null = null;

  constructor(url: string) {
    this.redis = new Redis(redisOptions(url));
  }

  /** Makes the mirror hold exactly these customers, names left out; returns how many fields changed. */
  async publishCustomers(pages: AsyncIterable<readonly Customer[]>): Promise<number> {
    const next = new Map<string, string>();
    const writes: string[] = [];
    let before = this.customers;
    if (before === null) before = new Map(Object.entries(await this.redis.hgetall(CUSTOMERS_KEY)).map(([id, json]) => [id, digest(json)]));
    const flush = async (force: boolean) => {
      if (writes.length === 0 || (!force && writes.length < 2 * CHUNK)) return;
      await this.redis.hset(CUSTOMERS_KEY, ...writes.splice(0));
    };
    let changed = 0;
    for await (const page of pages) {
      for (const customer of page) {
        const { name: _name, ...anonymous } = customer;
        const json = JSON.stringify(anonymous);
        const d = digest(json);
        next.set(customer.customer_id, d);
        if (before.get(customer.customer_id) !== d) {
          writes.push(customer.customer_id, json);
          changed++;
        }
      }
      await flush(false);
    }
    await flush(true);
    const gone = [...before.keys()].filter((id) => !next.has(id));
    for (let i = 0; i < gone.length; i += CHUNK) await this.redis.hdel(CUSTOMERS_KEY, ...gone.slice(i, i + CHUNK));
    this.customers = next;
    return changed + gone.length;
  }

  /** Replaces the mirrored knowledge base (de-identified entries) when it changed, and announces it. */
  async publishKnowledgeBase(entries: readonly KbEntry[]): Promise<boolean> {
    const json = JSON.stringify({ entries });
    const d = digest(json);
    if (this.knowledgeBase === null) {
      const mirrored = await this.redis.get(KNOWLEDGE_BASE_KEY);
      if (mirrored !== null) this.knowledgeBase = digest(mirrored);
    }
    if (d === this.knowledgeBase) return false;
    await exec(this.redis.multi().set(KNOWLEDGE_BASE_KEY, json).publish(SNAPSHOTS_CHANNEL, 'knowledge-base'));
    this.knowledgeBase = d;
    return true;
  }

  /** Owner records of dialogues the primary itself logged, so replicas can continue them too. */
  async recordDialogues(saved: readonly { exchange: ProductionExchange; caller: DialogueCaller }[]): Promise<void> {
    // The primary's answers wait for this: while Redis is away they are not held up by retries.
    if (this.redis.status !== 'ready') throw new Error(`Redis is not connected (${this.redis.status})`);
    const tx = this.redis.multi();
    for (const { exchange, caller } of saved) recordDialogue(tx, exchange, caller);
    await exec(tx);
  }

  /** Marks dialogues that can no longer change, so replicas refuse to continue them (409) as the primary does. */
  async closeDialogues(closed: readonly { id: string; reason: ClosedReason }[]): Promise<void> {
    for (let i = 0; i < closed.length; i += CHUNK) {
      const tx = this.redis.multi();
      for (const { id, reason } of closed.slice(i, i + CHUNK)) {
        const key = dialogueKey(id);
        tx.hset(key, 'closed', reason).expire(key, DIALOGUE_TTL_SECONDS);
      }
      await exec(tx);
    }
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }
}

/** Adds a dialogue's owner record (its key, channel and turns as logged) to a transaction. */
function recordDialogue(tx: ReturnType<Redis['multi']>, exchange: ProductionExchange, caller: DialogueCaller): void {
  const key = dialogueKey(exchange.id);
  tx.hset(key, { key: caller.keyId, channel: caller.channel, turns: JSON.stringify(exchange.turns) }).expire(key, DIALOGUE_TTL_SECONDS);
}

const DialogueRecord = z.object({ key: z.string(), channel: z.string(), turns: z.string(), closed: z.enum(['labeled', 'frozen']).optional() });

/**
 * A replica's answer backend (services/answer.ts AnswerBackend): configs from the mirror, customers
 * and the knowledge base from the snapshots, dialogues' owners and turns from their records, and
 * exchanges to the stream.
 */
export class ReplicaAnswers {
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly knowledgeBaseListeners = new Set<() => void>();

  private constructor(
    url: string,
    private readonly configs: ReplicaConfigs,
  ) {
    this.redis = new Redis({ ...redisOptions(url), enableAutoPipelining: true });
    this.subscriber = new Redis(redisOptions(url, { blocking: true }));
  }

  static async open(url: string, configs: ReplicaConfigs): Promise<ReplicaAnswers> {
    const answers = new ReplicaAnswers(url, configs);
    answers.subscriber.on('message', () => {
      for (const listener of answers.knowledgeBaseListeners) listener();
    });
    await answers.subscriber.subscribe(SNAPSHOTS_CHANNEL);
    return answers;
  }

  async config(channel: string): Promise<BotConfig | undefined> {
    return (await this.configs.served(channel))?.config;
  }

  async customer(id: string): Promise<AnonymousCustomer | undefined> {
    const json = await this.redis.hget(CUSTOMERS_KEY, id);
    if (json === null) return undefined;
    // Whatever the mirror holds, a name never goes further (omit strips unknown keys).
    return AnonymousCustomer.parse(JSON.parse(json));
  }

  async continuable(id: string, caller: DialogueCaller): Promise<readonly Turn[]> {
    const record = DialogueRecord.safeParse(await this.redis.hgetall(dialogueKey(id)));
    // The primary's words, and the same answer for unknown and foreign dialogues.
    if (!record.success || record.data.key !== caller.keyId || record.data.channel !== caller.channel) {
      throw notContinuable(id, caller);
    }
    if (record.data.closed) throw closedDialogue(id, record.data.closed);
    return z.array(Turn).parse(JSON.parse(record.data.turns));
  }

  /** The exchange to the stream and the dialogue's record, in one transaction. */
  async save(exchange: ProductionExchange, caller: DialogueCaller, continues: boolean): Promise<void> {
    const tx = this.redis.multi().xadd(EXCHANGES_STREAM, '*', 'exchange', exchangeEntry(exchange, caller, continues));
    recordDialogue(tx, exchange, caller);
    await exec(tx);
  }

  async knowledgeBase(): Promise<{ entries: readonly KbEntry[]; knownProducts: readonly string[] }> {
    const json = await this.redis.get(KNOWLEDGE_BASE_KEY);
    if (json === null) throw new Error('the primary has not mirrored the knowledge base to Redis yet (is it running with --redis?)');
    return { entries: MirroredKnowledgeBase.parse(JSON.parse(json)).entries, knownProducts: [] };
  }

  /** Calls `listener` when the primary mirrored a new knowledge base; returns the unsubscribe function. */
  onKnowledgeBaseChanged(listener: () => void): () => void {
    this.knowledgeBaseListeners.add(listener);
    return () => this.knowledgeBaseListeners.delete(listener);
  }

  async close(): Promise<void> {
    await Promise.all([closeRedis(this.subscriber), closeRedis(this.redis)]);
  }
}
