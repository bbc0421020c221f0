// FCR estimated from the logs (DESIGN.md): resolved, not escalated, and no contact by the same
// customer about the same intent on any channel within the window. Kept current for the whole store
// (server/storage/fcr-estimate-repository.ts); shown to reviewers as a suggestion with its reason,
// never as a label.
import type { FcrEstimateView } from '../domain/api.ts';
import type { Database } from '../storage/database.ts';
import { FcrEstimateRepository } from '../storage/fcr-estimate-repository.ts';

export const DEFAULT_FCR_WINDOW_DAYS = 7;

/**
 * Brings every dialogue's estimate up to date (new dialogues, and those a new contact or the later
 * logs change; the same result as recomputing all of them, which `full` does) on a connection of its
 * own, in bounded transactions; returns counts per value.
 */
export async function refreshFcrEstimates(db: Database, windowDays = DEFAULT_FCR_WINDOW_DAYS, options: { full?: boolean } = {}): Promise<Record<string, number>> {
  const estimates = new FcrEstimateRepository(db);
  // One refresh at a time per store: two on their own connections would conflict on the same rows.
  const previous = refreshing.get(db) ?? Promise.resolve();
  const refresh = previous.catch(() => undefined).then(() => estimates.recompute(windowDays, options));
  refreshing.set(db, refresh);
  try {
    await refresh;
  } finally {
    if (refreshing.get(db) === refresh) refreshing.delete(db);
  }
  return estimates.countsByValue();
}

const refreshing = new WeakMap<Database, Promise<unknown>>();

/** The dialogue's estimate, with its reason as a code (`reason_code`, `reason_params`) for the UI to translate. */
export async function fcrEstimateOf(db: Database, dialogueId: string): Promise<FcrEstimateView> {
  const estimate = await new FcrEstimateRepository(db).get(dialogueId);
  return (
    estimate ?? {
      value: 'unclear',
      reason: 'not estimated yet (the store changed since the last estimate)',
      repeat_dialogue_id: null,
      window_days: DEFAULT_FCR_WINDOW_DAYS,
      reason_code: 'not_estimated',
      reason_params: { window: DEFAULT_FCR_WINDOW_DAYS },
    }
  );
}
