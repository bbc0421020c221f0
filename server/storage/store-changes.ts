// Who hears that a store's records changed, for what they keep in memory: the answer endpoint keeps
// the customer records it read, the labeling queue what it read ahead. One process has the store
// open and makes every write (a server takes the CLI's commands), so the writers here, in storage,
// say what they changed right after it is committed: the ingest's merge (customers and purchases),
// the label repository (labels), the FCR refresh (estimates).
import type { Database } from './database.ts';

export interface StoreChange {
  /** Customers or purchases changed. */
  customers?: true;
  /** The labels of these dialogues changed (`all`: of any dialogue). */
  labels?: readonly string[] | 'all';
  /** Those labels were imported (`labels import`, a data set's own), not saved by reviewers. */
  imported?: true;
  /** FCR estimates changed. */
  estimates?: true;
}

type Listener = (change: StoreChange) => void;

// By connection: `readingApart(db)` is another object over the same store.
const listeners = new WeakMap<object, Set<Listener>>();

/** Calls `listener` after each commit that changed customers, labels or estimates of `db`; returns the unsubscribe function. */
export function onStoreChanged(db: Database, listener: Listener): () => void {
  let set = listeners.get(db.connection);
  if (!set) listeners.set(db.connection, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** For the writers: call after the commit. */
export function storeChanged(db: Database, change: StoreChange): void {
  for (const listener of listeners.get(db.connection) ?? []) listener(change);
}
