// Promoted configs: immutable versions (one per candidate content) and movable per-channel pointers
// (`production`, `staging`). Promotion passes the gate against the current production config's run
// on the same suite (or is forced with a recorded reason); promote and rollback move a pointer in
// one transaction and append to the history. A run with failed cases beyond what it allowed
// (incomplete) is never promoted, not even forced: its numbers do not describe the candidate.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { ModelParams, PromptTemplate } from '../domain/eval.ts';
import { incompleteReason } from '../eval/error-budget.ts';
import { trustForSuite } from '../eval/evaluate.ts';
import { getRun, loadResults } from '../eval/run-eval.ts';
import { getGateSettings } from '../services/settings.ts';
import type { Database } from '../storage/database.ts';
import { evaluatePromotion, type GateDecision } from './promotion-gate.ts';

export const CONFIG_LABELS = ['production', 'staging'] as const;
export const ConfigLabel = z.enum(CONFIG_LABELS);
export type ConfigLabel = z.infer<typeof ConfigLabel>;

export const DEFAULT_CHANNELS = ['web', 'app', 'wechat', 'phone'] as const;

/** What a bot fetches: everything needed to answer as production does. */
export const BotConfig = z.object({
  channel: z.string(),
  label: ConfigLabel,
  version: z.string(),
  hash: z.string(),
  candidate: z.string(),
  model: z.string(),
  params: ModelParams,
  prompt: PromptTemplate,
  promoted_at: z.string(),
  promoted_by: z.string(),
  run_id: z.string().nullable(),
});
export type BotConfig = z.infer<typeof BotConfig>;

export const HistoryEntry = z.object({
  seq: z.number(),
  channel: z.string(),
  label: ConfigLabel,
  action: z.enum(['promote', 'rollback']),
  from_version: z.string().nullable(),
  to_version: z.string(),
  run_id: z.string().nullable(),
  forced_reason: z.string().nullable(),
  checks: z.unknown().nullable(),
  metrics: z.unknown().nullable(),
  by: z.string(),
  at: z.string(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export interface PromoteOptions {
  runId: string;
  channel: string;
  label?: ConfigLabel;
  by: string;
  /** Promote even when the gate says no; the reason is recorded. */
  force?: string;
  channels?: readonly string[];
}

export interface PromoteResult {
  version: string;
  decision: GateDecision;
  forced: boolean;
  previous: string | null;
}

export async function promote(db: Database, options: PromoteOptions): Promise<PromoteResult> {
  const label = options.label ?? 'production';
  const channels = options.channels ?? DEFAULT_CHANNELS;
  if (!channels.includes(options.channel)) throw new AppError('usage', `unknown channel ${options.channel}; channels: ${channels.join(', ')}`);
  const run = await getRun(db, options.runId);
  const incomplete = run ? incompleteReason(run) : null;
  if (run && incomplete !== null) throw runIncompleteError(run.id, incomplete);
  if (!run || run.status !== 'done') throw new AppError('usage', `no finished run ${options.runId}`);
  const [row] = await db.all<{ candidate: string }>('SELECT candidate FROM eval_runs WHERE id = $id', { id: run.id });
  const candidate = JSON.parse(row!.candidate) as { spec: { name: string; model: string; params: unknown }; template: unknown };

  const current = await pointer(db, options.channel, 'production');
  let productionResults = null;
  if (current) {
    const [prodRun] = await db.all<{ id: string }>(
      `SELECT r.id FROM eval_runs r JOIN config_versions v ON v.candidate_hash = r.candidate_hash
       WHERE v.id = $version AND r.suite_hash = $suite AND r.status = 'done' ORDER BY r.started_at DESC LIMIT 1`,
      { version: current, suite: run.suite_hash },
    );
    if (!prodRun && !options.force) {
      throw new AppError('conflict', `the production config of ${options.channel} (${current}) has no run on suite ${run.suite_name} v${run.suite_version}: evaluate it on the same suite first, or --force with a reason`);
    }
    if (prodRun) productionResults = await loadResults(db, prodRun.id);
  }
  const candidateResults = await loadResults(db, run.id);
  // Scorers gate only where they agree with this store's labels (settings gate_*), unless gate_untrusted.
  const trust = (await getGateSettings(db)).gate_untrusted
    ? undefined
    : await trustForSuite(db, run.suite_name, run.suite_version, Object.keys(run.summary?.metrics ?? {}), [...candidateResults, ...(productionResults ?? [])]);
  const decision = evaluatePromotion({ candidate: candidateResults, production: productionResults, trust });
  if (!decision.allowed && !options.force) {
    const failed = decision.checks.filter((c) => !c.passed).map((c) => c.detail);
    throw Object.assign(new AppError('conflict', `promotion refused by the gate: ${failed.join('; ')}`), { decision });
  }

  const version = `cfg-${run.candidate_hash}`;
  const previous = await pointer(db, options.channel, label);
  await db.transaction(async () => {
    await db.run(
      `INSERT INTO config_versions VALUES ($id, $name, $hash, $model, $config, now(), $by) ON CONFLICT DO NOTHING`,
      {
        id: version,
        name: candidate.spec.name,
        hash: run.candidate_hash,
        model: candidate.spec.model,
        config: JSON.stringify({ template: candidate.template, model: candidate.spec.model, params: candidate.spec.params }),
        by: options.by,
      },
    );
    await movePointer(db, options.channel, label, version, options.by);
    await appendHistory(db, {
      channel: options.channel,
      label,
      action: 'promote',
      from: previous,
      to: version,
      runId: run.id,
      forced: decision.allowed ? null : (options.force ?? null),
      checks: decision.checks,
      metrics: run.summary?.metrics ?? null,
      by: options.by,
    });
  });
  return { version, decision, forced: !decision.allowed, previous };
}

/** 409: the run cannot be promoted, forced or not, until its failed cases are run again. */
export function runIncompleteError(runId: string, reason: string): AppError {
  return new AppError('conflict', `promotion refused: run ${runId} is incomplete: ${reason}. A run with failed cases cannot be promoted, even forced; fix the cause and finish it with firstcall eval --resume ${runId}`);
}

/** Moves the pointer back to the version the current one was promoted over (rollbacks never ping-pong). */
export async function rollback(db: Database, channel: string, by: string, label: ConfigLabel = 'production'): Promise<{ from: string; to: string }> {
  const current = await pointer(db, channel, label);
  if (!current) throw new AppError('usage', `${channel} has no ${label} config to roll back`);
  const [last] = await db.all<{ from_version: string | null }>(
    `SELECT from_version FROM config_history WHERE channel = $channel AND label = $label AND to_version = $current AND action = 'promote' ORDER BY seq DESC LIMIT 1`,
    { channel, label, current },
  );
  if (!last?.from_version) throw new AppError('conflict', `${channel} ${label} (${current}) has no earlier version to roll back to`);
  const to = last.from_version;
  await db.transaction(async () => {
    await movePointer(db, channel, label, to, by);
    await appendHistory(db, { channel, label, action: 'rollback', from: current, to, runId: null, forced: null, checks: null, metrics: null, by });
  });
  return { from: current, to };
}

export async function getConfig(db: Database, channel: string, label: ConfigLabel = 'production'): Promise<BotConfig | undefined> {
  const [row] = await db.all<Record<string, unknown>>(
    `SELECT p.channel, p.label, v.id AS version, v.candidate_name, v.model, v.config,
            strftime(p.updated_at, '%Y-%m-%dT%H:%M:%SZ') AS promoted_at, p.updated_by AS promoted_by,
            (SELECT h.run_id FROM config_history h WHERE h.channel = p.channel AND h.label = p.label ORDER BY h.seq DESC LIMIT 1) AS run_id
     FROM config_pointers p JOIN config_versions v ON v.id = p.version_id WHERE p.channel = $channel AND p.label = $label`,
    { channel, label },
  );
  if (!row) return undefined;
  const config = JSON.parse(String(row.config)) as { template: unknown; model: string; params: unknown };
  const body = {
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
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 20);
  return BotConfig.parse({ ...body, hash });
}

export async function configHistory(db: Database, channel?: string): Promise<HistoryEntry[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT seq, channel, label, action, from_version, to_version, run_id, forced_reason, checks, metrics, changed_by AS "by",
            strftime(changed_at, '%Y-%m-%dT%H:%M:%SZ') AS "at"
     FROM config_history WHERE $channel IS NULL OR channel = $channel ORDER BY seq DESC`,
    { channel: channel ?? null },
  );
  return rows.map((r) =>
    HistoryEntry.parse({ ...r, seq: Number(r.seq), checks: r.checks ? JSON.parse(String(r.checks)) : null, metrics: r.metrics ? JSON.parse(String(r.metrics)) : null }),
  );
}

async function pointer(db: Database, channel: string, label: ConfigLabel): Promise<string | null> {
  const [row] = await db.all<{ version_id: string }>('SELECT version_id FROM config_pointers WHERE channel = $channel AND label = $label', { channel, label });
  return row?.version_id ?? null;
}

async function movePointer(db: Database, channel: string, label: ConfigLabel, version: string, by: string): Promise<void> {
  await db.run('INSERT OR REPLACE INTO config_pointers VALUES ($channel, $label, $version, now(), $by)', { channel, label, version, by });
  served.get(db)?.delete(`${channel}|${label}`);
}

export interface ServedConfig {
  config: BotConfig;
  /** The response body, serialised once. */
  json: string;
  etag: string;
}

/** Pointers only move through promote and rollback in this process, which drop the entry. */
const served = new WeakMap<Database, Map<string, ServedConfig | null>>();

/** The config as bots get it, kept in memory between moves of its pointer. */
export async function servedConfig(db: Database, channel: string, label: ConfigLabel = 'production'): Promise<ServedConfig | null> {
  let cache = served.get(db);
  if (!cache) served.set(db, (cache = new Map()));
  const key = `${channel}|${label}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const config = (await getConfig(db, channel, label)) ?? null;
  const entry = config ? { config, json: JSON.stringify(config), etag: `"${config.hash}"` } : null;
  if (cache.size > 1000) cache.clear(); // unknown channels asked for many times
  cache.set(key, entry);
  return entry;
}

async function appendHistory(
  db: Database,
  e: { channel: string; label: ConfigLabel; action: 'promote' | 'rollback'; from: string | null; to: string; runId: string | null; forced: string | null; checks: unknown; metrics: unknown; by: string },
): Promise<void> {
  await db.run(
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
