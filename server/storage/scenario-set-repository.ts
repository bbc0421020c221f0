// Frozen scenario sets (scenario_sets): immutable versions, one row per name and version.
import type { Database } from './database.ts';

export interface ScenarioSetInfo {
  name: string;
  version: number;
  hash: string;
  created_at: string;
  n_scenarios: number;
}

/** A stored set as plain JSON (the service parses the scenarios with the Scenario schema). */
export interface StoredScenarioSet extends Omit<ScenarioSetInfo, 'n_scenarios'> {
  scenarios: unknown[];
}

export class ScenarioSetRepository {
  constructor(private readonly db: Database) {}

  async latest(name: string): Promise<{ version: number; hash: string } | undefined> {
    const [row] = await this.db.all<{ version: number; hash: string }>('SELECT version, hash FROM scenario_sets WHERE name = $name ORDER BY version DESC LIMIT 1', { name });
    return row ? { version: Number(row.version), hash: row.hash } : undefined;
  }

  /** A version of a set, or its newest when `version` is not given. */
  async get(name: string, version?: number): Promise<StoredScenarioSet | undefined> {
    const [row] = await this.db.all<{ name: string; version: number; hash: string; created_at: string; scenarios: string }>(
      `SELECT name, version, hash, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at, CAST(scenarios AS VARCHAR) AS scenarios
       FROM scenario_sets WHERE name = $name AND ($version IS NULL OR version = $version) ORDER BY version DESC LIMIT 1`,
      { name, version: version ?? null },
    );
    return row ? { name: row.name, version: Number(row.version), hash: row.hash, created_at: row.created_at, scenarios: JSON.parse(row.scenarios) as unknown[] } : undefined;
  }

  /** The version of a set with this content hash, if any. */
  async byHash(hash: string): Promise<{ name: string; version: number } | undefined> {
    const [row] = await this.db.all<{ name: string; version: number }>('SELECT name, version FROM scenario_sets WHERE hash = $hash ORDER BY version DESC LIMIT 1', { hash });
    return row ? { name: row.name, version: Number(row.version) } : undefined;
  }

  async insert(set: { name: string; version: number; hash: string; created_at: string; scenarios: readonly unknown[] }): Promise<void> {
    await this.db.run('INSERT INTO scenario_sets VALUES ($name, $version, $hash, $created_at, $n, $scenarios)', {
      name: set.name,
      version: set.version,
      hash: set.hash,
      created_at: set.created_at,
      n: set.scenarios.length,
      scenarios: JSON.stringify(set.scenarios),
    });
  }

  async list(): Promise<ScenarioSetInfo[]> {
    const rows = await this.db.all<{ name: string; version: number; hash: string; created_at: string; n_scenarios: number }>(
      `SELECT name, version, hash, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at, n_scenarios FROM scenario_sets ORDER BY name, version`,
    );
    return rows.map((r) => ({ ...r, version: Number(r.version), n_scenarios: Number(r.n_scenarios) }));
  }
}
