// The primary's side of scaling out on Redis (server/scale): mirrors the served configs (at start and
// after every promote or rollback) and the active API keys (every few seconds) for answer replicas,
// and drains the exchanges the replicas logged into this store, the one writer.
import type { ConfigLabel } from '../domain/promotion.ts';
import { ConfigPublisher } from '../scale/config-mirror.ts';
import { drainExchanges } from '../scale/exchange-stream.ts';
import type { Database } from '../storage/database.ts';
import { ProductionDialogueRepository } from '../storage/production-dialogue-repository.ts';
import { activeKeyHashes } from './api-keys.ts';
import { onConfigMoved, servedConfig } from './configs.ts';

export interface Replication {
  /** Exchanges from replicas written to the store so far. */
  readonly drained: number;
  close(): Promise<void>;
}

export interface ReplicationOptions {
  /** How often the API keys are mirrored again (revocations reach replicas within this plus their 30 s cache). */
  keysEveryMs?: number;
  log?: (error: unknown, message: string) => void;
}

export async function startReplication(db: Database, url: string, options: ReplicationOptions = {}): Promise<Replication> {
  const log = options.log ?? ((error, message) => console.error(`firstcall: ${message}: ${error instanceof Error ? error.message : String(error)}`));
  const publisher = new ConfigPublisher(url);
  const served = (channel: string, label: ConfigLabel) => servedConfig(db, channel, label).then((s) => (s ? { json: s.json, etag: s.etag } : null));
  await publisher.publishAll(served);
  // One at a time, so the mirror ends with the latest of quick successive moves.
  let publishing = Promise.resolve();
  const stopListening = onConfigMoved(db, (channel, label) => {
    publishing = publishing.then(() => served(channel, label).then((s) => publisher.publish(channel, label, s))).catch((error: unknown) => log(error, `mirroring the ${channel} ${label} config to Redis failed`));
  });
  const publishKeys = async () => publisher.publishKeys(await activeKeyHashes(db));
  await publishKeys();
  const timer = setInterval(() => void publishKeys().catch((error: unknown) => log(error, 'mirroring API keys to Redis failed')), options.keysEveryMs ?? 5000);
  const dialogues = new ProductionDialogueRepository(db);
  const drain = await drainExchanges({
    url,
    save: (exchange, caller, continues) => dialogues.save(exchange, caller, continues),
    onRejected: (error) => log(error, 'an exchange logged by a replica was refused by the store'),
  });
  return {
    get drained() {
      return drain.saved;
    },
    close: async () => {
      clearInterval(timer);
      stopListening();
      await drain.close();
      await publishing;
      await publisher.close();
    },
  };
}
