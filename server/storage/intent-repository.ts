// The intent taxonomy: keys added by reviewers (with display names), joined with the intents
// dialogues and labels carry.
import { IntentNames } from '../domain/label.ts';
import type { Database } from './database.ts';

export interface IntentRow {
  key: string;
  count: number;
  names?: IntentNames;
}

export function intentFromRow(row: { key: string; n: string | number; names: unknown }): IntentRow {
  const names = row.names == null ? undefined : IntentNames.safeParse(typeof row.names === 'string' ? JSON.parse(row.names) : row.names);
  return { key: row.key, count: Number(row.n), ...(names?.success && Object.keys(names.data).length > 0 ? { names: names.data } : {}) };
}

export class IntentRepository {
  constructor(private readonly db: Database) {}

  /** Every key in use or added, how often dialogues carry it (most used first), and its display names. */
  async list(): Promise<IntentRow[]> {
    const rows = await this.db.all<{ key: string; n: string; names: string | null }>(`
      SELECT u.key, sum(u.n) AS n, any_value(i.names) AS names FROM (
        SELECT intent AS key, count(*) AS n FROM dialogues WHERE intent IS NOT NULL GROUP BY 1
        UNION ALL SELECT intent, 0 FROM labels WHERE intent IS NOT NULL GROUP BY 1
        UNION ALL SELECT key, 0 FROM intents
      ) u LEFT JOIN intents i ON i.key = u.key GROUP BY u.key ORDER BY n DESC, u.key`);
    return rows.map(intentFromRow);
  }

  /** Adds a key, or sets the display names of an existing one (null names leave them as they are). */
  async upsert(key: string, by: string, names: IntentNames | null): Promise<void> {
    await this.db.run(
      `INSERT INTO intents (key, created_by, created_at, names) VALUES ($key, $by, now(), $names)
       ON CONFLICT (key) DO UPDATE SET names = coalesce(EXCLUDED.names, intents.names)`,
      { key, by, names: names === null ? null : JSON.stringify(names) },
    );
  }
}
