// Group commit for the exchanges the answer endpoints log: requests that arrive while a transaction
// is writing wait for the next one, which writes them all with one commit. Each request still
// returns only once its own exchange is stored, and one that fails its check (a dialogue labeled in
// between) fails alone; when the transaction itself fails, every exchange in it fails.
import type { Database } from '../storage/database.ts';
import { ProductionDialogueRepository, type DialogueCaller, type ProductionExchange } from '../storage/production-dialogue-repository.ts';

/** Who hears of exchanges stored on a store (the Redis mirror of dialogue owners for answer replicas). */
type SavedListener = (saved: readonly { exchange: ProductionExchange; caller: DialogueCaller }[]) => Promise<void>;
const savedListeners = new WeakMap<Database, Set<SavedListener>>();

/**
 * Calls `listener` with each transaction's stored exchanges before their requests return (a listener's
 * failure never fails them: it is the listener's to report); returns the unsubscribe function.
 */
export function onExchangesSaved(db: Database, listener: SavedListener): () => void {
  let set = savedListeners.get(db);
  if (!set) savedListeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** Exchanges written per transaction at most. */
const MAX_BATCH = 256;

interface Queued {
  exchange: ProductionExchange;
  caller: DialogueCaller;
  continues: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class ExchangeLog {
  private readonly repository: ProductionDialogueRepository;
  private readonly listeners: Set<SavedListener> | undefined;
  private readonly queue: Queued[] = [];
  private writing = false;

  constructor(db: Database) {
    this.repository = new ProductionDialogueRepository(db);
    let set = savedListeners.get(db);
    if (!set) savedListeners.set(db, (set = new Set()));
    this.listeners = set;
  }

  /** As ProductionDialogueRepository.save, sharing a transaction with the exchanges logged alongside. */
  save(exchange: ProductionExchange, caller: DialogueCaller, continues: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ exchange, caller, continues, resolve, reject });
      if (!this.writing) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        // A dialogue appears once per transaction: a second exchange of it waits for the next one.
        const ids = new Set<string>();
        let n = 0;
        while (n < this.queue.length && n < MAX_BATCH && !ids.has(this.queue[n]!.exchange.id)) ids.add(this.queue[n++]!.exchange.id);
        const batch = this.queue.splice(0, n);
        try {
          const outcomes = await this.repository.saveMany(batch);
          const saved = batch.filter((_, i) => !outcomes[i]);
          if (saved.length > 0) for (const listener of this.listeners ?? []) await listener(saved).catch(() => undefined);
          for (const [i, item] of batch.entries()) {
            const error = outcomes[i];
            if (error) item.reject(error);
            else item.resolve();
          }
        } catch (error) {
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
