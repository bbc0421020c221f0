// Labeling settings, the gate settings, the early-warning settings and the reviewers' guidelines, stored as JSON values in the settings table.
import { AlertSettings, DEFAULT_ALERT_SETTINGS } from '../domain/alerts.ts';
import type { Guidelines } from '../domain/api.ts';
import { DEFAULT_GUIDELINES } from '../domain/default-guidelines.ts';
import { DEFAULT_GATE_SETTINGS, GateSettings, LabelingSettings, Settings, type SettingsUpdate } from '../domain/settings.ts';
import type { Database } from '../storage/database.ts';
import { SettingsRepository } from '../storage/settings-repository.ts';
import { DEFAULT_FCR_WINDOW_DAYS } from './fcr-from-logs.ts';

export const DEFAULT_SETTINGS: LabelingSettings = { overlap: 1, fcr_window_days: DEFAULT_FCR_WINDOW_DAYS };

/** Settings are read on every queue request; every write goes through putSettings, which refreshes this. */
const cached = new WeakMap<Database, LabelingSettings>();

export async function getSettings(db: Database): Promise<LabelingSettings> {
  const hit = cached.get(db);
  if (hit) return hit;
  const stored = await new SettingsRepository(db).get('labeling');
  const settings = LabelingSettings.parse({ ...DEFAULT_SETTINGS, ...(stored?.value as object | undefined) });
  cached.set(db, settings);
  return settings;
}

export async function putSettings(db: Database, settings: LabelingSettings, by: string): Promise<LabelingSettings> {
  const parsed = LabelingSettings.parse(settings);
  await new SettingsRepository(db).put('labeling', parsed, by);
  cached.set(db, parsed);
  return parsed;
}

/** The gate settings: the stored values over the defaults (server/domain/settings.ts). */
export async function getGateSettings(db: Database): Promise<GateSettings> {
  const stored = await new SettingsRepository(db).get('gates');
  return GateSettings.parse({ ...DEFAULT_GATE_SETTINGS, ...(stored?.value as object | undefined) });
}

/** Changes the given gate settings; the others keep their current value. */
export async function putGateSettings(db: Database, settings: Partial<GateSettings>, by: string): Promise<GateSettings> {
  const parsed = GateSettings.parse({ ...(await getGateSettings(db)), ...settings });
  await new SettingsRepository(db).put('gates', parsed, by);
  return parsed;
}

/** The settings and guidelines of one store, as the routes use them. */
export class SettingsService {
  constructor(private readonly db: Database) {}

  /** Labeling and gate settings together (GET /api/settings). */
  async all(): Promise<Settings> {
    return { ...(await getSettings(this.db)), ...(await getGateSettings(this.db)) };
  }

  /** Changes the given fields, validated together before anything is written; only a group that changed is stored (and records who changed it). */
  async update(update: SettingsUpdate, by: string): Promise<Settings> {
    const current = await this.all();
    const next = Settings.parse({ ...current, ...definedOnly(update) });
    const labeling = LabelingSettings.parse(next);
    const gates = GateSettings.parse(next);
    if (changed(labeling, current)) await putSettings(this.db, labeling, by);
    if (changed(gates, current)) await putGateSettings(this.db, gates, by);
    return next;
  }

  guidelines(): Promise<Guidelines> {
    return getGuidelines(this.db);
  }

  updateGuidelines(text: string, by: string): Promise<Guidelines> {
    return putGuidelines(this.db, text, by);
  }
}

const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
const changed = (group: object, current: Settings) => Object.entries(group).some(([k, v]) => current[k as keyof Settings] !== v);

export async function getGuidelines(db: Database): Promise<Guidelines> {
  const stored = await new SettingsRepository(db).get('guidelines');
  if (!stored) return { text: DEFAULT_GUIDELINES, updated_at: null, updated_by: null };
  return { text: String((stored.value as { text: string }).text), updated_at: stored.updated_at, updated_by: stored.updated_by };
}

export async function putGuidelines(db: Database, text: string, by: string): Promise<Guidelines> {
  await new SettingsRepository(db).put('guidelines', { text }, by);
  return getGuidelines(db);
}

/** The early-warning settings (server/domain/alerts.ts): the stored values over the defaults. */
export async function getAlertSettings(db: Database): Promise<AlertSettings> {
  const stored = await new SettingsRepository(db).get('alerts');
  return AlertSettings.parse({ ...DEFAULT_ALERT_SETTINGS, ...(stored?.value as object | undefined) });
}

/** Changes the given alert settings; the others keep their current value. */
export async function putAlertSettings(db: Database, settings: Partial<AlertSettings>, by: string): Promise<AlertSettings> {
  const parsed = AlertSettings.parse({ ...(await getAlertSettings(db)), ...definedOnly(settings) });
  await new SettingsRepository(db).put('alerts', parsed, by);
  return parsed;
}
