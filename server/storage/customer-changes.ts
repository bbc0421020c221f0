// Who hears that a store's customer records changed (the answer endpoint keeps the records it read in
// memory until then). Customers and purchases are written by the ingest's merge only, in the one
// process that has the store open, so the merge says so after each commit that changed any.
import type { Database } from './database.ts';

const listeners = new WeakMap<Database, Set<() => void>>();

/** Calls `listener` after each commit that changed customers or purchases of `db`; returns the unsubscribe function. */
export function onCustomersChanged(db: Database, listener: () => void): () => void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** For the writers of customers and purchases: call after the commit. */
export function customersChanged(db: Database): void {
  for (const listener of listeners.get(db) ?? []) listener();
}
