// Settings: JSON values by key (labeling, gates, guidelines), with who changed them and when.
import type { Database } from './database.ts';

export interface StoredSetting {
  value: unknown;
  updated_by: string | null;
  updated_at: string;
}

export function settingFromRow(row: { value: unknown; updated_by: string | null; updated_at: string }): StoredSetting {
  return { value: typeof row.value === 'string' ? JSON.parse(row.value) : row.value, updated_by: row.updated_by ?? null, updated_at: String(row.updated_at) };
}

export class SettingsRepository {
  constructor(private readonly db: Database) {}

  async get(key: string): Promise<StoredSetting | undefined> {
    const [row] = await this.db.all<{ value: string; updated_by: string | null; updated_at: string }>(
      `SELECT value, updated_by, strftime(updated_at, '%Y-%m-%dT%H:%M:%SZ') AS updated_at FROM settings WHERE key = $key`,
      { key },
    );
    return row ? settingFromRow(row) : undefined;
  }

  async put(key: string, value: unknown, by: string): Promise<void> {
    await this.db.run('INSERT OR REPLACE INTO settings (key, value, updated_by, updated_at) VALUES ($key, $value, $by, now())', {
      key,
      value: JSON.stringify(value),
      by,
    });
  }
}
