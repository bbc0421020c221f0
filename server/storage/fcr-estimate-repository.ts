// FCR estimated from the logs (server/services/fcr-from-logs.ts): resolved, not escalated, and no
// contact by the same customer about the same intent on any channel within the window, computed in
// SQL into fcr_estimates (what a new batch can have changed, or the whole store); read back with the
// reason as a code the UI translates.
import type { FcrEstimateView, FcrReasonCode } from '../domain/api.ts';
import type { FcrEstimate } from '../domain/label.ts';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from './database.ts';
import { storeChanged } from './store-changes.ts';

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

  /**
   * Brings every dialogue's estimate up to date with a repeat-contact window of `windowDays` (a whole
   * number, at least 1), with the same result as recomputing all of them; `full` recomputes all of them.
   *
   * Otherwise only what can have changed since the last refresh is recomputed: dialogues without an
   * estimate (new ones) and production dialogues (replaced in place as a conversation goes on), every
   * dialogue of the same customer and intent as one of those (a new contact changes its predecessor's
   * next contact), and the estimates waiting for the window to pass (the newest contact in the store,
   * their horizon, may have moved). Everything else depends only on its own row and its partition,
   * neither of which changed, and the horizon only grows. A different window, or estimates whose
   * dialogue is gone, mean a full recompute.
   *
   * Runs on a connection of its own, computing into temporary tables and writing only the estimates
   * that changed, in transactions of at most `chunk` rows: requests served meanwhile on the store's
   * shared connection never wait behind it. Existing estimates are written before new ones, so a
   * refresh cut short is completed by the next one (the new dialogues still lack an estimate).
   */
  async recompute(windowDays: number, options: { full?: boolean; chunk?: number } = {}): Promise<FcrRefreshStats> {
    const window = Math.max(1, Math.trunc(windowDays));
    const chunk = Math.max(1, options.chunk ?? 5000);
    const c = await this.db.connect();
    const rows = async <T>(sql: string, params?: Record<string, DuckDBValue>) => (await c.runAndReadAll(sql, params)).getRowObjectsJson() as T[];
    try {
      await c.run("SET TimeZone = 'UTC'"); // as the shared connection: day arithmetic on timestamps is zone-dependent
      const [stored] = await rows<{ n: unknown; other_window: unknown; orphans: unknown }>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE window_days <> ${window}) AS other_window,
                count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM dialogues d WHERE d.id = f.dialogue_id)) AS orphans
         FROM fcr_estimates f`,
      );
      const full = options.full === true || Number(stored!.n) === 0 || Number(stored!.other_window) > 0 || Number(stored!.orphans) > 0;
      if (full) {
        await c.run(`CREATE OR REPLACE TEMP TABLE fcr_new AS ${estimatesSql(window, 'dialogues')}`);
      } else {
        await c.run(`
          CREATE OR REPLACE TEMP TABLE fcr_touched AS
          SELECT d.id, d.customer_id, d.intent FROM dialogues d
          WHERE d.source = 'production' OR NOT EXISTS (SELECT 1 FROM fcr_estimates f WHERE f.dialogue_id = d.id)
             OR d.id IN (SELECT dialogue_id FROM fcr_estimates WHERE reason LIKE 'fewer than % days of later logs%')`);
        await c.run(`
          CREATE OR REPLACE TEMP TABLE fcr_scope AS
          SELECT d.id, d.customer_id, d.intent, d.started_ts, d.resolved, d.escalated, d.channel FROM dialogues d
          WHERE d.id IN (SELECT id FROM fcr_touched)
             OR EXISTS (SELECT 1 FROM fcr_touched t WHERE t.customer_id = d.customer_id AND t.intent = d.intent)`);
        await c.run(`CREATE OR REPLACE TEMP TABLE fcr_new AS ${estimatesSql(window, 'fcr_scope')}`);
      }
      // What differs from the stored estimates; existing ones first (see above).
      await c.run(`
        CREATE OR REPLACE TEMP TABLE fcr_changes AS
        SELECT n.*, row_number() OVER (ORDER BY f.dialogue_id IS NULL, n.dialogue_id) AS k
        FROM fcr_new n LEFT JOIN fcr_estimates f ON f.dialogue_id = n.dialogue_id
        WHERE f.dialogue_id IS NULL OR f.value IS DISTINCT FROM n.value OR f.reason IS DISTINCT FROM n.reason
           OR f.repeat_dialogue_id IS DISTINCT FROM n.repeat_dialogue_id OR f.window_days IS DISTINCT FROM n.window_days`);
      const [counted] = await rows<{ computed: unknown; changed: unknown }>('SELECT (SELECT count(*) FROM fcr_new) AS computed, (SELECT count(*) FROM fcr_changes) AS changed');
      const changed = Number(counted!.changed);
      let removed = 0;
      if (full || Number(stored!.orphans) > 0) {
        const deleted = await c.run('DELETE FROM fcr_estimates WHERE dialogue_id NOT IN (SELECT dialogue_id FROM fcr_new)');
        removed = Number(deleted.rowsChanged);
        if (removed > 0) storeChanged(this.db, { estimates: true });
      }
      for (let from = 1; from <= changed; from += chunk) {
        await c.run('BEGIN TRANSACTION');
        try {
          await c.run(
            `INSERT INTO fcr_estimates SELECT dialogue_id, value, reason, repeat_dialogue_id, window_days FROM fcr_changes WHERE k BETWEEN $from AND $to
             ON CONFLICT (dialogue_id) DO UPDATE SET value = EXCLUDED.value, reason = EXCLUDED.reason,
               repeat_dialogue_id = EXCLUDED.repeat_dialogue_id, window_days = EXCLUDED.window_days`,
            { from, to: from + chunk - 1 },
          );
          await c.run('COMMIT');
          storeChanged(this.db, { estimates: true });
        } catch (error) {
          await c.run('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
      return { mode: full ? 'full' : 'incremental', computed: Number(counted!.computed), changed, removed };
    } finally {
      c.closeSync(); // its temporary tables go with it
    }
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

export interface FcrRefreshStats {
  mode: 'full' | 'incremental';
  /** Dialogues whose estimate was computed. */
  computed: number;
  /** Estimates written because they were new or differed. */
  changed: number;
  /** Estimates deleted because their dialogue is gone. */
  removed: number;
}

/**
 * Estimates (fcr_estimates' columns) for the dialogues in `source` (the dialogues table or a subset
 * holding whole customer-and-intent partitions): the next contact is looked for within the source, the
 * horizon (the newest contact) in the whole store.
 */
function estimatesSql(window: number, source: string): string {
  return `
    WITH ordered AS (
      SELECT id, customer_id, intent, started_ts, resolved, escalated,
             lead(id) OVER w AS next_id, lead(started_ts) OVER w AS next_ts, lead(channel) OVER w AS next_channel
      FROM ${source}
      WINDOW w AS (PARTITION BY customer_id, intent ORDER BY started_ts, id)
    ), horizon AS (SELECT max(started_ts) AS latest FROM dialogues)
    SELECT id AS dialogue_id,
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
    FROM ordered`;
}
