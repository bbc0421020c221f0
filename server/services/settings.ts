// Labeling settings, the gate settings and the reviewers' guidelines, stored as JSON values in the settings table.
import { z } from 'zod';
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

/**
 * When a scorer may gate (`eval --fail-under`, `--max-regression`, promotion): its agreement with
 * this store's gold labels reaches gate_min_kappa (Cohen's kappa) or gate_min_auc, on at least
 * gate_min_labels labeled cases. gate_untrusted gates on every scorer anyway.
 */
export const GateSettings = z.object({
  gate_min_kappa: z.number().min(-1).max(1).default(0.4),
  gate_min_auc: z.number().min(0.5).max(1).default(0.8),
  gate_min_labels: z.number().int().min(0).default(30),
  gate_untrusted: z.boolean().default(false),
});
export type GateSettings = z.output<typeof GateSettings>;
export const DEFAULT_GATE_SETTINGS: GateSettings = GateSettings.parse({});

export async function getGateSettings(db: Database): Promise<GateSettings> {
  const stored = await read(db, 'gates');
  return GateSettings.parse({ ...DEFAULT_GATE_SETTINGS, ...(stored?.value as object | undefined) });
}

export async function putGateSettings(db: Database, settings: z.input<typeof GateSettings>, by: string): Promise<GateSettings> {
  const parsed = GateSettings.parse(settings);
  await write(db, 'gates', parsed, by);
  return parsed;
}
