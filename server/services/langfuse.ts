// Langfuse use cases. In (`langfuse pull`): production traces become dialogues in the store through
// the ingest pipeline like any log (validated, PII redacted, deduplicated by id, bad records quarantined);
// dialogue ids are `langfuse-<sessionId|traceId>`, so pulling the same window again adds nothing.
// Out: scores onto the traces dialogues came from (`push-scores`), suites as datasets (`push-dataset`),
// and promoted configs as labeled prompt versions (on promotion, opt-in).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles, type IngestSummary } from '../ingest/ingest-service.ts';
import { AppError, usageError } from '../domain/errors.ts';
import { ModelParams, PromptTemplate } from '../domain/eval.ts';
import type { ConfigLabel, LangfusePublication } from '../domain/promotion.ts';
import { LangfuseSource, langfuseConnectionFromEnv, type LangfuseConnection } from '../interop/langfuse-client.ts';
import { datasetItem, datasetNameOf, datasetOf, monitoringScores, runScores, type PlannedScores } from '../interop/langfuse-export.ts';
import { mapToDialogues, type LangfuseObservation } from '../interop/langfuse-mapping.ts';
import { publishRequests, samePublication } from '../interop/langfuse-prompt.ts';
import { ConfigRepository } from '../storage/config-repository.ts';
import type { Database } from '../storage/database.ts';
import { EvalRunRepository } from '../storage/eval-run-repository.ts';
import { LangfuseReferenceRepository } from '../storage/langfuse-reference-repository.ts';
import { SuiteRepository } from '../storage/suite-repository.ts';
import { refreshFcrEstimates } from './fcr-from-logs.ts';
import { getSettings } from './settings.ts';
import { loadSuite } from './suites.ts';

export { langfuseConnectionFromEnv };

export interface LangfusePullOptions {
  since?: string;
  until?: string;
  environment?: string;
  /** At most this many dialogues (the earliest first); the rest come with the next pull. */
  limit?: number;
  redact?: boolean;
  /** Observations per API page (default 100). */
  pageSize?: number;
  onProgress?: (progress: LangfusePullProgress) => void;
}

export type LangfusePullProgress =
  | { stage: 'fetch'; observations: number; pages: number }
  | { stage: 'scores'; traces: number; sessions: number }
  | { stage: 'ingest'; dialogues: number };

export interface LangfusePullSummary {
  observations: number;
  dialogues: number;
  /** Dialogues beyond --limit, left for the next pull. */
  skipped_by_limit: number;
  /** Generations with no user, assistant or tool text. */
  empty_generations: number;
  scores: number;
  ingest: IngestSummary;
}

export async function pullFromLangfuse(db: Database, connection: LangfuseConnection, options: LangfusePullOptions = {}): Promise<LangfusePullSummary> {
  const source = new LangfuseSource(connection);
  const observations: LangfuseObservation[] = [];
  let pages = 0;
  for await (const page of source.generations({ fromStartTime: options.since, toStartTime: options.until, environment: options.environment, pageSize: options.pageSize })) {
    observations.push(...page);
    pages++;
    options.onProgress?.({ stage: 'fetch', observations: observations.length, pages });
  }

  const traceIds = [...new Set(observations.map((o) => o.traceId).filter((t): t is string => Boolean(t)))];
  const sessionIds = [...new Set(observations.map((o) => o.sessionId).filter((s): s is string => Boolean(s)))];
  options.onProgress?.({ stage: 'scores', traces: traceIds.length, sessions: sessionIds.length });
  const scores = traceIds.length + sessionIds.length > 0 ? await source.scores(traceIds, sessionIds) : [];

  const mapped = mapToDialogues(observations, scores);
  const kept = options.limit !== undefined ? mapped.dialogues.slice(0, options.limit) : mapped.dialogues;
  options.onProgress?.({ stage: 'ingest', dialogues: kept.length });

  // Through the ingest pipeline as canonical JSONL, so validation, redaction, dedupe and quarantine are the same as for any log.
  const dir = await mkdtemp(join(tmpdir(), 'firstcall-langfuse-'));
  const file = join(dir, 'langfuse-pull.jsonl');
  try {
    await writeFile(file, kept.map((d) => JSON.stringify(d)).join('\n') + (kept.length > 0 ? '\n' : ''));
    const ingest = await ingestFiles(db, { paths: [file], format: 'jsonl', redact: options.redact ?? true });
    // Repeat contacts may span batches: FCR estimates are recomputed over the whole store (as `ingest` does).
    if (ingest.loaded > 0) await refreshFcrEstimates(db, (await getSettings(db)).fcr_window_days);
    return {
      observations: observations.length,
      dialogues: mapped.dialogues.length,
      skipped_by_limit: mapped.dialogues.length - kept.length,
      empty_generations: mapped.empty,
      scores: scores.length,
      ingest,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// --- out: scores, datasets, prompts -----------------------------------------------------------------

export type PushScoresSource = { runId: string } | { monitoring: true; since?: string };

export interface PushProgress {
  done: number;
  total: number;
  failed: number;
}

export interface PushScoresSummary {
  source: string;
  /** Scores sent (created, or updated in place when sent before). */
  pushed: number;
  failed: number;
  /** Cases (or dialogues) whose dialogue did not come from Langfuse: no trace to put a score on. */
  skipped: number;
  skipped_examples: string[];
  /** The first few failures, as `<score name> on <trace>: <message>`. */
  failures: string[];
}

/** Concurrent requests; the client waits out 429s (Retry-After) on each. */
const PUSH_CONCURRENCY = 4;

/**
 * `langfuse push-scores`: a run's scores (one per case and scorer) or the stored whole-dialogue scores
 * (`--monitoring`) onto the Langfuse traces their dialogues came from. Ids are stable, so pushing again
 * updates the same scores. Rejected keys stop the push; any other failed score is counted and the push goes on.
 */
export async function pushScores(db: Database, connection: LangfuseConnection, source: PushScoresSource, onProgress?: (p: PushProgress) => void): Promise<PushScoresSummary> {
  const refs = new LangfuseReferenceRepository(db);
  let planned: PlannedScores;
  let label: string;
  if ('runId' in source) {
    const runs = new EvalRunRepository(db);
    const run = await runs.get(source.runId);
    if (!run) throw usageError(`no run ${source.runId} (firstcall eval prints its id; the leaderboard lists them)`);
    if (run.status === 'running') throw usageError(`run ${run.id} is still running: push its scores once it has finished`);
    const results = await runs.results(run.id);
    const dialogueOf = new Map<string, string>();
    if (run.kind !== 'conversation') {
      const suite = await new SuiteRepository(db).get(run.suite_name, run.suite_version);
      for (const c of suite?.cases ?? []) dialogueOf.set(c.case_id, c.dialogue_id);
    }
    const origins = await refs.references([...new Set(dialogueOf.values())]);
    planned = runScores(run, dialogueOf, results, origins);
    label = `run ${run.id} (${run.candidate_name} on ${run.suite_name} v${run.suite_version})`;
  } else {
    const rows = await refs.latestDialogueScores(source.since);
    const origins = await refs.references([...new Set(rows.map((r) => r.dialogue_id))]);
    planned = monitoringScores(rows, origins);
    label = `monitoring scores${source.since ? ` since ${source.since}` : ''}`;
  }

  const client = new LangfuseSource(connection);
  const summary: PushScoresSummary = { source: label, pushed: 0, failed: 0, skipped: planned.skipped.length, skipped_examples: planned.skipped.slice(0, 5), failures: [] };
  await forEachConcurrently(planned.scores, PUSH_CONCURRENCY, async (score) => {
    try {
      await client.createScore(score);
      summary.pushed++;
    } catch (error) {
      if (AppError.isInstance(error) && error.code === 'unauthorized') throw error;
      summary.failed++;
      if (summary.failures.length < 5) summary.failures.push(`${score.name} on ${score.traceId ?? `session ${score.sessionId}`}: ${(error as Error).message}`);
    }
    onProgress?.({ done: summary.pushed + summary.failed, total: planned.scores.length, failed: summary.failed });
  });
  return summary;
}

export interface PushDatasetOptions {
  suite: string;
  version?: number;
  /** Default `firstcall-<suite>-v<version>`. */
  name?: string;
  onProgress?: (p: PushProgress) => void;
}

export interface PushDatasetSummary {
  dataset: string;
  suite: string;
  suite_version: number;
  items: number;
  failed: number;
  /** Items linked to the Langfuse trace their case came from. */
  from_traces: number;
  failures: string[];
}

/** `langfuse push-dataset`: a suite version as a Langfuse dataset, one item per case (ids stable: pushing again updates them). */
export async function pushDataset(db: Database, connection: LangfuseConnection, options: PushDatasetOptions): Promise<PushDatasetSummary> {
  const suite = await loadSuite(db, options.suite, options.version);
  const name = options.name ?? datasetNameOf(suite);
  const origins = await new LangfuseReferenceRepository(db).references([...new Set(suite.cases.map((c) => c.dialogue_id))]);
  const client = new LangfuseSource(connection);
  await client.upsertDataset(datasetOf(suite, name));
  const items = suite.cases.map((c) => datasetItem(c, suite, name, origins.get(c.dialogue_id)));
  const summary: PushDatasetSummary = { dataset: name, suite: suite.name, suite_version: suite.version, items: 0, failed: 0, from_traces: items.filter((i) => i.sourceTraceId).length, failures: [] };
  await forEachConcurrently(items, PUSH_CONCURRENCY, async (item) => {
    try {
      await client.upsertDatasetItem(item);
      summary.items++;
    } catch (error) {
      if (AppError.isInstance(error) && error.code === 'unauthorized') throw error;
      summary.failed++;
      if (summary.failures.length < 5) summary.failures.push(`${String(item.metadata.case_id)}: ${(error as Error).message}`);
    }
    options.onProgress?.({ done: summary.items + summary.failed, total: items.length, failed: summary.failed });
  });
  return summary;
}

/** Set to 1 (or true) in the environment of the process that promotes, and every promotion publishes its prompt to Langfuse. */
export const PUBLISH_ENV = 'FIRSTCALL_LANGFUSE_PUBLISH';
/** The prompt name a channel's config is published under (`{channel}` is replaced); default `firstcall-{channel}`. */
export const PROMPT_NAME_ENV = 'FIRSTCALL_LANGFUSE_PROMPT';

export function publishRequested(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return flag ?? /^(1|true|yes)$/i.test(env[PUBLISH_ENV]?.trim() ?? '');
}

export function promptNameForChannel(channel: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[PROMPT_NAME_ENV]?.trim() || 'firstcall-{channel}').replaceAll('{channel}', channel);
}

export interface PublishPromotionInput {
  channel: string;
  label: string;
  configVersion: string;
  runId: string | null;
  candidate: { spec: { name: string; model: string; params: unknown }; template: unknown };
  candidateHash: string;
}

/**
 * Publishes a promoted config to Langfuse: per language a new chat prompt version carrying the label
 * (Langfuse moves the label off the version that had it). A version that already says the same (same
 * candidate hash and messages) under that label is left as it is.
 */
export async function publishPromotion(connection: LangfuseConnection, input: PublishPromotionInput): Promise<LangfusePublication> {
  const template = PromptTemplate.parse(input.candidate.template);
  const spec = { name: input.candidate.spec.name, model: input.candidate.spec.model, params: ModelParams.parse(input.candidate.spec.params ?? {}) };
  const requests = publishRequests({ name: promptNameForChannel(input.channel), label: input.label, template, spec, candidateHash: input.candidateHash, runId: input.runId, channel: input.channel, configVersion: input.configVersion });
  const client = new LangfuseSource(connection);
  const prompts: LangfusePublication['prompts'] = [];
  for (const request of requests) {
    const current = await client.prompt(request.name, { label: input.label }).catch((error: unknown) => {
      if (AppError.isInstance(error) && error.code === 'not_found') return undefined;
      throw error;
    });
    if (current && samePublication(current, request)) {
      prompts.push({ name: request.name, version: current.version, created: false });
      continue;
    }
    const created = await client.createPromptVersion(request);
    prompts.push({ name: request.name, version: created.version, created: true });
  }
  return { published: true, label: input.label, prompts, base_url: connection.baseUrl };
}

/** Publishes a channel's current config (after a rollback, or when a publish at promotion failed). */
export async function publishChannelConfig(db: Database, connection: LangfuseConnection, channel: string, label: ConfigLabel): Promise<LangfusePublication> {
  const current = await new ConfigRepository(db).promoted(channel, label);
  if (!current) throw usageError(`${channel} has no ${label} config to publish`);
  const version = String(current.version);
  return publishPromotion(connection, {
    channel,
    label,
    configVersion: version,
    runId: current.run_id === null ? null : String(current.run_id),
    candidate: { spec: { name: String(current.candidate), model: String(current.model), params: current.params }, template: current.prompt },
    candidateHash: version.replace(/^cfg-/, ''),
  });
}

/** Publishes and never throws: the promotion stands whatever Langfuse says; the error is reported. */
export async function publishPromotionSafely(input: PublishPromotionInput, connection?: LangfuseConnection): Promise<LangfusePublication> {
  try {
    return await publishPromotion(connection ?? langfuseConnectionFromEnv(), input);
  } catch (error) {
    return { published: false, label: input.label, prompts: [], error: error instanceof Error ? error.message : String(error) };
  }
}

async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}
