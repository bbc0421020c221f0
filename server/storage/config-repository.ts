// Promoted configs: immutable versions (config_versions, one per candidate content), movable
// per-channel pointers (config_pointers: production, staging) and the history of their moves
// (config_history).
import type { ConfigLabel, HistoryEntry } from '../domain/promotion.ts';
import { toHistoryEntry, toPromotedConfig, type PromotedConfig } from './config-converters.ts';
import type { Database } from './database.ts';

export interface NewConfigVersion {
  id: string;
  candidateName: string;
  candidateHash: string;
  model: string;
  config: { template: unknown; model: string; params: unknown };
  by: string;
}

export interface NewHistoryEntry {
  channel: string;
  label: ConfigLabel;
  action: 'promote' | 'rollback';
  from: string | null;
  to: string;
  runId: string | null;
  forced: string | null;
  checks: unknown;
  metrics: unknown;
  by: string;
}

export class ConfigRepository {
  constructor(private readonly db: Database) {}

  /** Adds a version unless one with this id exists (versions never change). */
  async addVersion(v: NewConfigVersion): Promise<void> {
    await this.db.run(`INSERT INTO config_versions VALUES ($id, $name, $hash, $model, $config, now(), $by) ON CONFLICT DO NOTHING`, {
      id: v.id,
      name: v.candidateName,
      hash: v.candidateHash,
      model: v.model,
      config: JSON.stringify(v.config),
      by: v.by,
    });
  }

  /** The version a channel's label points at, or null. */
  async pointer(channel: string, label: ConfigLabel): Promise<string | null> {
    const [row] = await this.db.all<{ version_id: string }>('SELECT version_id FROM config_pointers WHERE channel = $channel AND label = $label', { channel, label });
    return row?.version_id ?? null;
  }

  async movePointer(channel: string, label: ConfigLabel, version: string, by: string): Promise<void> {
    await this.db.run('INSERT OR REPLACE INTO config_pointers VALUES ($channel, $label, $version, now(), $by)', { channel, label, version, by });
  }

  /** The config a channel's label points at, with who moved the pointer and the run of its last move. */
  async promoted(channel: string, label: ConfigLabel): Promise<PromotedConfig | undefined> {
    const [row] = await this.db.all<Record<string, unknown>>(
      `SELECT p.channel, p.label, v.id AS version, v.candidate_name, v.model, v.config,
              strftime(p.updated_at, '%Y-%m-%dT%H:%M:%SZ') AS promoted_at, p.updated_by AS promoted_by,
              (SELECT h.run_id FROM config_history h WHERE h.channel = p.channel AND h.label = p.label ORDER BY h.seq DESC LIMIT 1) AS run_id
       FROM config_pointers p JOIN config_versions v ON v.id = p.version_id WHERE p.channel = $channel AND p.label = $label`,
      { channel, label },
    );
    return row ? toPromotedConfig(row) : undefined;
  }

  /** The version `current` was last promoted over on this channel and label (null: none). */
  async promotedOver(channel: string, label: ConfigLabel, current: string): Promise<string | null> {
    const [last] = await this.db.all<{ from_version: string | null }>(
      `SELECT from_version FROM config_history WHERE channel = $channel AND label = $label AND to_version = $current AND action = 'promote' ORDER BY seq DESC LIMIT 1`,
      { channel, label, current },
    );
    return last?.from_version ?? null;
  }

  async appendHistory(e: NewHistoryEntry): Promise<void> {
    await this.db.run(
      `INSERT INTO config_history
       SELECT coalesce(max(seq), 0) + 1, $channel, $label, $action, $from, $to, $run, $forced, $checks, $metrics, $by, now() FROM config_history`,
      {
        channel: e.channel,
        label: e.label,
        action: e.action,
        from: e.from,
        to: e.to,
        run: e.runId,
        forced: e.forced,
        checks: e.checks === null ? null : JSON.stringify(e.checks),
        metrics: e.metrics === null ? null : JSON.stringify(e.metrics),
        by: e.by,
      },
    );
  }

  /** Promotions and rollbacks, newest first, of one channel or all. */
  async history(channel?: string): Promise<HistoryEntry[]> {
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT seq, channel, label, action, from_version, to_version, run_id, forced_reason, checks, metrics, changed_by AS "by",
              strftime(changed_at, '%Y-%m-%dT%H:%M:%SZ') AS "at"
       FROM config_history WHERE $channel IS NULL OR channel = $channel ORDER BY seq DESC`,
      { channel: channel ?? null },
    );
    return rows.map(toHistoryEntry);
  }
}
