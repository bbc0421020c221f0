// The primary's side of scaling out on Redis (server/scale): mirrors the served configs (at start and
// after every promote or rollback) and the active API keys (every few seconds) for answer replicas,
// and what they answer from: the customers without their names and local:kb's de-identified knowledge
// base (at start, and again when the store's fingerprint changed, checked every minute); and drains
// the exchanges the replicas logged into this store, the one writer (through the same exchange log as
// its own answers, so a continuation sees what is still on its way to the store); the owners of the
// dialogues answered here, so replicas can continue them; and which dialogues can no longer change
// (labeled, frozen in a suite: checked with the keys), so replicas refuse them as the primary does.
import type { Customer } from '../domain/dialogue.ts';
import type { ConfigLabel } from '../domain/promotion.ts';
import { ConfigPublisher } from '../scale/config-mirror.ts';
import { drainExchanges } from '../scale/exchange-stream.ts';
import { SnapshotPublisher } from '../scale/replica-answers.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';
import { ProductionDialogueRepository } from '../storage/production-dialogue-repository.ts';
import { activeKeyHashes } from './api-keys.ts';
import { onConfigMoved, servedConfig } from './configs.ts';
import { ExchangeLog, onExchangesSaved } from './exchange-log.ts';
import { knowledgeBaseEntries } from './knowledge-base.ts';

/** Customers read per query while mirroring them (each page waits its turn on the store like any request). */
const CUSTOMER_PAGE = 2000;

export interface Replication {
  /** Exchanges from replicas written to the store so far. */
  readonly drained: number;
  close(): Promise<void>;
}

export interface ReplicationOptions {
  /** How often the API keys and the closed dialogues are mirrored again (revocations reach replicas within this plus their 30 s cache). */
  keysEveryMs?: number;
  /** How often the store's fingerprint is checked for changes to mirror customers and the knowledge base again. */
  snapshotsEveryMs?: number;
  /** How long one read of the exchange stream waits for entries (and so how soon closing stops it). */
  blockMs?: number;
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
  const snapshots = new SnapshotPublisher(url);
  const dialogues = new ProductionDialogueRepository(db);
  // Dialogues marked closed in Redis so far (a newly labeled one is marked once).
  let marked = new Set<string>();
  const publishKeys = async () => {
    await publisher.publishKeys(await activeKeyHashes(db));
    const closed = await dialogues.closed();
    await snapshots.closeDialogues(closed.filter((c) => !marked.has(c.id)));
    marked = new Set(closed.map((c) => c.id));
  };
  await publishKeys();
  const timer = setInterval(() => void publishKeys().catch((error: unknown) => log(error, 'mirroring API keys and closed dialogues to Redis failed')), options.keysEveryMs ?? 5000);
  const customers = new CustomerRepository(db);
  let fingerprint: string | undefined;
  const publishSnapshots = async () => {
    const now = await customers.fingerprint();
    if (now === fingerprint) return;
    await snapshots.publishCustomers(customerPages(customers));
    await snapshots.publishKnowledgeBase(await knowledgeBaseEntries(db));
    fingerprint = now;
  };
  await publishSnapshots();
  let snapshotting: Promise<void> | undefined;
  const snapshotTimer = setInterval(() => {
    snapshotting ??= publishSnapshots()
      .catch((error: unknown) => log(error, 'mirroring customers and the knowledge base to Redis failed'))
      .finally(() => (snapshotting = undefined));
  }, options.snapshotsEveryMs ?? 60_000);
  // Dialogues answered here can be continued on replicas: their owner records go to Redis before the answer returns.
  // Logged once per outage, not once per answer.
  let recordingFails = false;
  const stopRecording = onExchangesSaved(db, (saved) =>
    snapshots.recordDialogues(saved).then(
      () => void (recordingFails = false),
      (error: unknown) => {
        if (!recordingFails) log(error, 'mirroring dialogue owners to Redis failed (dialogues answered here cannot be continued on replicas until it works again)');
        recordingFails = true;
      },
    ),
  );
  const exchanges = ExchangeLog.of(db);
  const drain = await drainExchanges({
    url,
    save: (exchange, caller, continues) => exchanges.save(exchange, caller, continues),
    onRejected: (error) => log(error, 'an exchange logged by a replica was refused by the store'),
    ...(options.blockMs ? { blockMs: options.blockMs } : {}),
  });
  return {
    get drained() {
      return drain.saved;
    },
    close: async () => {
      clearInterval(timer);
      clearInterval(snapshotTimer);
      stopRecording();
      await snapshotting;
      stopListening();
      await drain.close();
      await publishing;
      await publisher.close();
      await snapshots.close();
    },
  };
}

async function* customerPages(customers: CustomerRepository): AsyncIterable<Customer[]> {
  let after = '';
  for (;;) {
    const page = await customers.page(after, CUSTOMER_PAGE);
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)!.customer_id;
  }
}
