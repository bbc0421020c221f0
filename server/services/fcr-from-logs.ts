// FCR estimated from the logs (DESIGN.md): resolved, not escalated, and no contact by the same
// customer about the same intent on any channel within the window. Computed in SQL over the whole
// store into fcr_estimates; shown to reviewers as a suggestion with its reason, never as a label.
import type { FcrEstimate } from '../domain/label.ts';
import type { Database } from '../storage/database.ts';

export const DEFAULT_FCR_WINDOW_DAYS = 7;

/** Recomputes every dialogue's estimate; returns counts per value. */
export async function refreshFcrEstimates(db: Database, windowDays = DEFAULT_FCR_WINDOW_DAYS): Promise<Record<string, number>> {
  const window = Math.max(1, Math.trunc(windowDays));
  await db.transaction(async () => {
    await db.run('DELETE FROM fcr_estimates');
    await db.run(`
      INSERT INTO fcr_estimates
      WITH ordered AS (
        SELECT id, customer_id, intent, started_ts, resolved, escalated,
               lead(id) OVER w AS next_id, lead(started_ts) OVER w AS next_ts, lead(channel) OVER w AS next_channel
        FROM dialogues
        WINDOW w AS (PARTITION BY customer_id, intent ORDER BY started_ts, id)
      ), horizon AS (SELECT max(started_ts) AS latest FROM dialogues)
      SELECT id,
        CASE
          WHEN escalated THEN 'no'
          WHEN resolved = false THEN 'no'
          WHEN customer_id IS NOT NULL AND intent IS NOT NULL AND started_ts IS NOT NULL
               AND next_ts IS NOT NULL AND next_ts <= started_ts + INTERVAL (${window}) DAY THEN 'no'
          WHEN resolved IS NULL OR customer_id IS NULL OR intent IS NULL OR started_ts IS NULL THEN 'unclear'
          WHEN started_ts + INTERVAL (${window}) DAY > (SELECT latest FROM horizon) THEN 'unclear'
          ELSE 'yes'
        END AS value,
        CASE
          WHEN escalated THEN 'escalated to a human agent'
          WHEN resolved = false THEN 'not resolved in this contact'
          WHEN customer_id IS NOT NULL AND intent IS NOT NULL AND started_ts IS NOT NULL
               AND next_ts IS NOT NULL AND next_ts <= started_ts + INTERVAL (${window}) DAY
            THEN printf('the customer contacted again about %s %.1f days later (%s, %s)', intent,
                        epoch(next_ts - started_ts) / 86400.0, next_id, next_channel)
          WHEN resolved IS NULL THEN 'the outcome was not logged'
          WHEN customer_id IS NULL THEN 'no customer id: repeat contacts cannot be checked'
          WHEN intent IS NULL THEN 'no intent: repeat contacts about the same issue cannot be told'
          WHEN started_ts IS NULL THEN 'no timestamp: the repeat-contact window cannot be applied'
          WHEN started_ts + INTERVAL (${window}) DAY > (SELECT latest FROM horizon)
            THEN 'fewer than ${window} days of later logs to look for a repeat contact'
          ELSE 'resolved, not escalated, and no repeat contact about the same intent within ${window} days'
        END AS reason,
        CASE WHEN next_ts IS NOT NULL AND next_ts <= started_ts + INTERVAL (${window}) DAY
                  AND customer_id IS NOT NULL AND intent IS NOT NULL THEN next_id END AS repeat_dialogue_id,
        ${window} AS window_days
      FROM ordered`);
  });
  const rows = await db.all<{ value: string; n: string }>('SELECT value, count(*) AS n FROM fcr_estimates GROUP BY 1');
  return Object.fromEntries(rows.map((r) => [r.value, Number(r.n)]));
}

export async function fcrEstimateOf(db: Database, dialogueId: string): Promise<FcrEstimate> {
  const [row] = await db.all<{ value: FcrEstimate['value']; reason: string; repeat_dialogue_id: string | null; window_days: number }>(
    'SELECT value, reason, repeat_dialogue_id, window_days FROM fcr_estimates WHERE dialogue_id = $id',
    { id: dialogueId },
  );
  if (!row) return { value: 'unclear', reason: 'not estimated yet (the store changed since the last estimate)', repeat_dialogue_id: null, window_days: DEFAULT_FCR_WINDOW_DAYS };
  return { ...row, window_days: Number(row.window_days) };
}
