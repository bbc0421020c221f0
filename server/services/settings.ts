// Labeling settings, the gate settings and the reviewers' guidelines, stored as JSON values in the settings table.
import { z } from 'zod';
import { Guidelines, Settings } from '../domain/api.ts';
import { DEFAULT_GUIDELINES } from '../domain/default-guidelines.ts';
import type { Database } from '../storage/database.ts';
import { SettingsRepository } from '../storage/settings-repository.ts';
import { DEFAULT_FCR_WINDOW_DAYS } from './fcr-from-logs.ts';

export const DEFAULT_SETTINGS: Settings = { overlap: 1, fcr_window_days: DEFAULT_FCR_WINDOW_DAYS };

/** Settings are read on every queue request; every write goes through putSettings, which refreshes this. */
const cached = new WeakMap<Database, Settings>();

export async function getSettings(db: Database): Promise<Settings> {
  const hit = cached.get(db);
  if (hit) return hit;
  const stored = await new SettingsRepository(db).get('labeling');
  const settings = Settings.parse({ ...DEFAULT_SETTINGS, ...(stored?.value as object | undefined) });
  cached.set(db, settings);
  return settings;
}

export async function putSettings(db: Database, settings: Settings, by: string): Promise<Settings> {
  const parsed = Settings.parse(settings);
  await new SettingsRepository(db).put('labeling', parsed, by);
  cached.set(db, parsed);
  return parsed;
}

/** The labeling settings and guidelines of one store, as the routes use them. */
export class SettingsService {
  constructor(private readonly db: Database) {}

  labeling(): Promise<Settings> {
    return getSettings(this.db);
  }

  updateLabeling(settings: Settings, by: string): Promise<Settings> {
    return putSettings(this.db, settings, by);
  }

  guidelines(): Promise<Guidelines> {
    return getGuidelines(this.db);
  }

  updateGuidelines(text: string, by: string): Promise<Guidelines> {
    return putGuidelines(this.db, text, by);
  }
}

export async function getGuidelines(db: Database): Promise<Guidelines> {
  const stored = await new SettingsRepository(db).get('guidelines');
  if (!stored) return { text: DEFAULT_GUIDELINES, updated_at: null, updated_by: null };
  return { text: String((stored.value as { text: string }).text), updated_at: stored.updated_at, updated_by: stored.updated_by };
}

export async function putGuidelines(db: Database, text: string, by: string): Promise<Guidelines> {
  await new SettingsRepository(db).put('guidelines', { text }, by);
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
  const stored = await new SettingsRepository(db).get('gates');
  return GateSettings.parse({ ...DEFAULT_GATE_SETTINGS, ...(stored?.value as object | undefined) });
}

export async function putGateSettings(db: Database, settings: z.input<typeof GateSettings>, by: string): Promise<GateSettings> {
  const parsed = GateSettings.parse(settings);
  await new SettingsRepository(db).put('gates', parsed, by);
  return parsed;
}
