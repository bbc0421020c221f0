// FCR estimated from the logs (server/services/fcr-from-logs.ts): resolved, not escalated, and no
// contact by the same customer about the same intent on any channel within the window, computed in
// SQL over the whole store into fcr_estimates; read back with the reason as a code the UI translates.
import type { FcrEstimateView, FcrReasonCode } from '../domain/api.ts';
import type { FcrEstimate } from '../domain/label.ts';
import type { Database } from './database.ts';

type ReasonParams = FcrEstimateView['reason_params'];

/**
 * The reasons `recompute` writes (keep in step with its SQL), read back as a code and the values
 * they name, so the UI can say them in the reviewer's language.
 */
const REASONS: readonly { code: FcrReasonCode; pattern: RegExp; params?: (m: RegExpExecArray) => ReasonParams }[] = [
  { code: 'escalated', pattern: /^escalated to a human agent$/ },
  { code: 'not_resolved', pattern: /^not resolved in this contact$/ },
  {
    code: 'repeat_contact',
    pattern: /^the customer contacted again about (.+) (\d+(?:\.\d+)?) days later \((.*), ([^,]*)\)$/,
    params: (m) => ({ intent: m[1]!, days: m[2]!, dialogue_id: m[3]!, channel: m[4]! }),
  },
  { code: 'outcome_not_logged', pattern: /^the outcome was not logged$/ },
  { code: 'no_customer_id', pattern: /^no customer id:/ },
  { code: 'no_intent', pattern: /^no intent:/ },
  { code: 'no_timestamp', pattern: /^no timestamp:/ },
  { code: 'window_not_over', pattern: /^fewer than \d+ days of later logs/ },
  { code: 'resolved', pattern: /^resolved, not escalated, and no repeat contact/ },
];

/** The reason's code and parameters (`window` always; the repeat contact's intent, days, dialogue and channel); `other` for text this file did not write. */
export function fcrReasonCode(reason: string, windowDays: number): { reason_code: FcrReasonCode; reason_params: ReasonParams } {
  for (const { code, pattern, params } of REASONS) {
    const match = pattern.exec(reason);
    if (match) return { reason_code: code, reason_params: { window: windowDays, ...params?.(match) } };
  }
  return { reason_code: 'other', reason_params: { window: windowDays } };
}

export function fcrEstimateFromRow(row: { value: FcrEstimate['value']; reason: string; repeat_dialogue_id: string | null; window_days: unknown }): FcrEstimateView {
  const windowDays = Number(row.window_days);
  return { value: row.value, reason: row.reason, repeat_dialogue_id: row.repeat_dialogue_id ?? null, window_days: windowDays, ...fcrReasonCode(row.reason, windowDays) };
}

export class FcrEstimateRepository {
  constructor(private readonly db: Database) {}

  /** Recomputes every dialogue's estimate with a repeat-contact window of `windowDays` (a whole number, at least 1). */
  async recompute(windowDays: number): Promise<void> {
    const window = Math.max(1, Math.trunc(windowDays));
    await this.db.transaction(async () => {
      await this.db.run('DELETE FROM fcr_estimates');
      await this.db.run(`
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
  }

  /** How many dialogues have each value. */
  async countsByValue(): Promise<Record<string, number>> {
    const rows = await this.db.all<{ value: string; n: string }>('SELECT value, count(*) AS n FROM fcr_estimates GROUP BY 1');
    return Object.fromEntries(rows.map((r) => [r.value, Number(r.n)]));
  }

  async get(dialogueId: string): Promise<FcrEstimateView | undefined> {
    const [row] = await this.db.all<{ value: FcrEstimate['value']; reason: string; repeat_dialogue_id: string | null; window_days: number }>(
      'SELECT value, reason, repeat_dialogue_id, window_days FROM fcr_estimates WHERE dialogue_id = $id',
      { id: dialogueId },
    );
    return row ? fcrEstimateFromRow(row) : undefined;
  }

  /** Every estimate that is not `unclear`, by dialogue id. */
  async decided(): Promise<Map<string, Pick<FcrEstimate, 'value' | 'repeat_dialogue_id'>>> {
    const rows = await this.db.all<{ dialogue_id: string; value: 'yes' | 'no'; repeat_dialogue_id: string | null }>(
      "SELECT dialogue_id, value, repeat_dialogue_id FROM fcr_estimates WHERE value <> 'unclear'",
    );
    return new Map(rows.map((r) => [r.dialogue_id, { value: r.value, repeat_dialogue_id: r.repeat_dialogue_id }]));
  }
}
