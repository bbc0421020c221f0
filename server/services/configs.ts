// Promoted configs as bots get them: the config a channel's label points at, hashed (the ETag) and
// kept in memory between moves of its pointer; and the history of promotions and rollbacks.
import { createHash } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { BotConfig, type ConfigLabel, type HistoryEntry } from '../domain/promotion.ts';
import { ConfigRepository } from '../storage/config-repository.ts';
import type { Database } from '../storage/database.ts';

export async function getConfig(db: Database, channel: string, label: ConfigLabel = 'production'): Promise<BotConfig | undefined> {
  const body = await new ConfigRepository(db).promoted(channel, label);
  if (!body) return undefined;
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 20);
  return BotConfig.parse({ ...body, hash });
}

export async function configHistory(db: Database, channel?: string): Promise<HistoryEntry[]> {
  return new ConfigRepository(db).history(channel);
}

export interface ServedConfig {
  config: BotConfig;
  /** The response body, serialised once. */
  json: string;
  etag: string;
}

/** Pointers only move through promote and rollback in this process, which call forgetServed. */
const served = new WeakMap<Database, Map<string, ServedConfig | null>>();

/** The config as bots get it, kept in memory between moves of its pointer. */
export async function servedConfig(db: Database, channel: string, label: ConfigLabel = 'production'): Promise<ServedConfig | null> {
  let cache = served.get(db);
  if (!cache) served.set(db, (cache = new Map()));
  const key = `${channel}|${label}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const config = (await getConfig(db, channel, label)) ?? null;
  const entry = config ? { config, json: JSON.stringify(config), etag: `"${config.hash}"` } : null;
  if (cache.size > 1000) cache.clear(); // unknown channels asked for many times
  cache.set(key, entry);
  return entry;
}

/** Who hears of pointer moves in a store (e.g. the Redis mirror answer replicas read, server/scale). */
const moveListeners = new WeakMap<Database, Set<(channel: string, label: ConfigLabel) => void>>();

/** Drops the served copy of a channel's label after its pointer moved, and tells the listeners. */
export function forgetServed(db: Database, channel: string, label: ConfigLabel): void {
  served.get(db)?.delete(`${channel}|${label}`);
  for (const listener of moveListeners.get(db) ?? []) listener(channel, label);
}

/** Calls `listener` after every promote or rollback on this store; returns the unsubscribe function. */
export function onConfigMoved(db: Database, listener: (channel: string, label: ConfigLabel) => void): () => void {
  let set = moveListeners.get(db);
  if (!set) moveListeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** Where a replica's configs come from instead of a store (server/scale/config-mirror.ts). */
export interface ServedConfigSource {
  served(channel: string, label?: ConfigLabel): Promise<ServedConfig | null>;
}

/** The configs use cases bound to one store (what the routes call), or to a replica's mirror. */
export class ConfigService {
  constructor(
    private readonly db: Database | null,
    private readonly source?: ServedConfigSource,
  ) {}

  /** An answer replica's: served configs from the mirror, no history. */
  static replica(source: ServedConfigSource): ConfigService {
    return new ConfigService(null, source);
  }

  async get(channel: string, label: ConfigLabel = 'production'): Promise<BotConfig | undefined> {
    if (!this.db) return (await this.served(channel, label))?.config;
    return getConfig(this.db, channel, label);
  }

  served(channel: string, label: ConfigLabel = 'production'): Promise<ServedConfig | null> {
    return this.db ? servedConfig(this.db, channel, label) : this.source!.served(channel, label);
  }

  history(channel?: string): Promise<HistoryEntry[]> {
    if (!this.db) throw new AppError('not_found', 'an answer replica has no promotion history: ask the primary');
    return configHistory(this.db, channel);
  }
}
