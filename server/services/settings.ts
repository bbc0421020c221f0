// Labeling settings and the reviewers' guidelines, stored as JSON values in the settings table.
import { Guidelines, Settings } from '../domain/api.ts';
import { DEFAULT_GUIDELINES } from '../domain/default-guidelines.ts';
import type { Database } from '../storage/database.ts';
import { DEFAULT_FCR_WINDOW_DAYS } from './fcr-from-logs.ts';

export const DEFAULT_SETTINGS: Settings = { overlap: 1, fcr_window_days: DEFAULT_FCR_WINDOW_DAYS };

async function read(db: Database, key: string): Promise<{ value: unknown; updated_by: string | null; updated_at: string } | undefined> {
  const [row] = await db.all<{ value: string; updated_by: string | null; updated_at: string }>(
    `SELECT value, updated_by, strftime(updated_at, '%Y-%m-%dT%H:%M:%SZ') AS updated_at FROM settings WHERE key = $key`,
    { key },
  );
  return row ? { ...row, value: JSON.parse(row.value) } : undefined;
}

async function write(db: Database, key: string, value: unknown, by: string): Promise<void> {
  await db.run('INSERT OR REPLACE INTO settings (key, value, updated_by, updated_at) VALUES ($key, $value, $by, now())', {
    key,
    value: JSON.stringify(value),
    by,
  });
}

/** Settings are read on every queue request; every write goes through putSettings, which refreshes this. */
const cached = new WeakMap<Database, Settings>();

export async function getSettings(db: Database): Promise<Settings> {
  const hit = cached.get(db);
  if (hit) return hit;
  const stored = await read(db, 'labeling');
  const settings = Settings.parse({ ...DEFAULT_SETTINGS, ...(stored?.value as object | undefined) });
  cached.set(db, settings);
  return settings;
}

export async function putSettings(db: Database, settings: Settings, by: string): Promise<Settings> {
  const parsed = Settings.parse(settings);
  await write(db, 'labeling', parsed, by);
  cached.set(db, parsed);
  return parsed;
}

export async function getGuidelines(db: Database): Promise<Guidelines> {
  const stored = await read(db, 'guidelines');
  if (!stored) return { text: DEFAULT_GUIDELINES, updated_at: null, updated_by: null };
  return { text: String((stored.value as { text: string }).text), updated_at: stored.updated_at, updated_by: stored.updated_by };
}

export async function putGuidelines(db: Database, text: string, by: string): Promise<Guidelines> {
  await write(db, 'guidelines', { text }, by);
  return getGuidelines(db);
}
