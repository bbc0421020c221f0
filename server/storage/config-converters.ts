// Rows of the config tables as domain objects.
import { HistoryEntry } from '../domain/promotion.ts';

/** A promoted config as stored, before it is checked and hashed for bots (server/services/configs.ts). */
export interface PromotedConfig {
  channel: unknown;
  label: unknown;
  version: unknown;
  candidate: unknown;
  model: unknown;
  params: unknown;
  prompt: unknown;
  promoted_at: unknown;
  promoted_by: unknown;
  run_id: unknown;
}

export function toPromotedConfig(row: Record<string, unknown>): PromotedConfig {
  const config = JSON.parse(String(row.config)) as { template: unknown; model: string; params: unknown };
  return {
    channel: row.channel,
    label: row.label,
    version: row.version,
    candidate: row.candidate_name,
    model: config.model,
    params: config.params,
    prompt: config.template,
    promoted_at: row.promoted_at,
    promoted_by: row.promoted_by,
    run_id: row.run_id ?? null,
  };
}

export function toHistoryEntry(row: Record<string, unknown>): HistoryEntry {
  return HistoryEntry.parse({
    ...row,
    seq: Number(row.seq),
    checks: row.checks ? JSON.parse(String(row.checks)) : null,
    metrics: row.metrics ? JSON.parse(String(row.metrics)) : null,
  });
}
