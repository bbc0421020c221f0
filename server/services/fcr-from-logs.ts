// FCR estimated from the logs (DESIGN.md): resolved, not escalated, and no contact by the same
// customer about the same intent on any channel within the window. Computed over the whole store
// (server/storage/fcr-estimate-repository.ts); shown to reviewers as a suggestion with its reason,
// never as a label.
import type { FcrEstimateView } from '../domain/api.ts';
import type { Database } from '../storage/database.ts';
import { FcrEstimateRepository } from '../storage/fcr-estimate-repository.ts';

export const DEFAULT_FCR_WINDOW_DAYS = 7;

/** Recomputes every dialogue's estimate; returns counts per value. */
export async function refreshFcrEstimates(db: Database, windowDays = DEFAULT_FCR_WINDOW_DAYS): Promise<Record<string, number>> {
  const estimates = new FcrEstimateRepository(db);
  await estimates.recompute(windowDays);
  return estimates.countsByValue();
}

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
