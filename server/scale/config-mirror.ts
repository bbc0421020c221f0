// Promoted configs and API keys mirrored in Redis for answer replicas, which never open the store.
// The primary (the one process holding the store) keeps a snapshot of every served config in a hash
// and publishes the field that changed on each promote or rollback; a replica loads the hash when it
// starts and re-reads a field when told it changed. The body and ETag are the primary's own bytes,
// so a bot sees the same ETag from any process. API keys are mirrored as the store has them (sha256
// hashes, never the keys), refreshed by the primary every few seconds so revocations reach replicas.
import { Redis } from 'ioredis';
import { ApiKeyInfo } from '../domain/label.ts';
import { BotConfig, CHANNELS, CONFIG_LABELS, type ConfigLabel } from '../domain/promotion.ts';
import { closeRedis, REDIS_PREFIX, redisOptions } from './redis-options.ts';

export const CONFIGS_KEY = `${REDIS_PREFIX}:configs`;
export const CONFIGS_CHANNEL = `${REDIS_PREFIX}:configs:changed`;
export const API_KEYS_KEY = `${REDIS_PREFIX}:api-keys`;

/** A config as bots get it (the same shape as services/configs.ts ServedConfig). */
export interface MirroredConfig {
  config: BotConfig;
  json: string;
  etag: string;
}

const field = (channel: string, label: ConfigLabel) => `${channel}|${label}`;

/** The primary's side: writes the snapshot and announces changes. */
export class ConfigPublisher {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(redisOptions(url));
  }

  /** One channel's label as it is served now (null: nothing promoted there). */
  async publish(channel: string, label: ConfigLabel, served: { json: string; etag: string } | null): Promise<void> {
    const f = field(channel, label);
    const tx = this.redis.multi();
    if (served) tx.hset(CONFIGS_KEY, f, JSON.stringify({ json: served.json, etag: served.etag }));
    else tx.hdel(CONFIGS_KEY, f);
    tx.publish(CONFIGS_CHANNEL, f);
    await tx.exec();
  }

  /** Every channel and label, e.g. when the primary starts (promotions made while it was down). */
  async publishAll(servedOf: (channel: string, label: ConfigLabel) => Promise<{ json: string; etag: string } | null>): Promise<void> {
    for (const channel of CHANNELS) for (const label of CONFIG_LABELS) await this.publish(channel, label, await servedOf(channel, label));
  }

  /** Replaces the mirrored API keys with the store's active ones (by hash). */
  async publishKeys(keys: readonly { hash: string; info: ApiKeyInfo }[]): Promise<void> {
    const tx = this.redis.multi().del(API_KEYS_KEY);
    if (keys.length > 0) tx.hset(API_KEYS_KEY, Object.fromEntries(keys.map((k) => [k.hash, JSON.stringify(k.info)])));
    await tx.exec();
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }
}

/** A replica's side: the configs in memory, updated as the primary announces changes. */
export class ReplicaConfigs {
  private readonly configs = new Map<string, MirroredConfig | null>();
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new Set<(channel: string, label: string) => void>();

  private constructor(url: string) {
    this.redis = new Redis(redisOptions(url));
    this.subscriber = new Redis(redisOptions(url, { blocking: true }));
  }

  /** Subscribes first, then loads the snapshot, so no change between the two is missed. */
  static async open(url: string): Promise<ReplicaConfigs> {
    const replica = new ReplicaConfigs(url);
    replica.subscriber.on('message', (_channel: string, f: string) => void replica.refresh(f));
    await replica.subscriber.subscribe(CONFIGS_CHANNEL);
    const all = await replica.redis.hgetall(CONFIGS_KEY);
    for (const [f, value] of Object.entries(all)) if (!replica.configs.has(f)) replica.configs.set(f, parse(value));
    return replica;
  }

  served(channel: string, label: ConfigLabel = 'production'): Promise<MirroredConfig | null> {
    return Promise.resolve(this.configs.get(field(channel, label)) ?? null);
  }

  /** Called after a channel's label changed here (tests and logs). */
  onChange(listener: (channel: string, label: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The mirrored key with this hash (what the auth plugin asks). */
  async findActiveByHash(hash: string): Promise<ApiKeyInfo | undefined> {
    const value = await this.redis.hget(API_KEYS_KEY, hash);
    if (!value) return undefined;
    const parsed = ApiKeyInfo.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  }

  async close(): Promise<void> {
    await Promise.all([closeRedis(this.subscriber), closeRedis(this.redis)]);
  }

  private async refresh(f: string): Promise<void> {
    const value = await this.redis.hget(CONFIGS_KEY, f);
    this.configs.set(f, value === null ? null : parse(value));
    const [channel, label] = f.split('|') as [string, string];
    for (const listener of this.listeners) listener(channel, label);
  }
}

function parse(value: string): MirroredConfig | null {
  try {
    const { json, etag } = JSON.parse(value) as { json: string; etag: string };
    return { config: BotConfig.parse(JSON.parse(json)), json, etag };
  } catch {
    return null; // a snapshot this version cannot read is not served
  }
}
