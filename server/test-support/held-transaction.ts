// A transaction held open on a store until the test releases it: for tests of what waits for a
// transaction and what does not.
import type { Database } from '../storage/database.ts';

export interface HeldTransaction<T> {
  /** Lets the transaction go on: `after` runs inside it, then it commits. */
  release(): void;
  /** Settles with what `after` returned once the transaction has committed (or with its error). */
  done: Promise<T | undefined>;
}

/** Opens a transaction, runs `first` inside it and resolves once that is done, with the transaction still open. */
export async function holdTransaction<T>(db: Database, first: () => Promise<void>, after?: () => Promise<T>): Promise<HeldTransaction<T>> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let inside!: () => void;
  const started = new Promise<void>((resolve) => (inside = resolve));
  const done = db.transaction(async () => {
    await first();
    inside();
    await held;
    return after?.();
  });
  done.catch(() => undefined); // the test awaits it
  await started;
  return { release, done };
}
